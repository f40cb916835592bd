import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { PROBLEM_CONTENT_TYPE } from '#libs/contracts/src/index.js';

/** Manifest formats (OKH, OKW) arrive as their own media types and are parsed by the service. */
export const TEXT_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'application/toml', 'text/plain'];

/**
 * Body parsing is ours rather than Nest's so that a malformed body gets the same problem
 * details as any other bad input, instead of Express's HTML error page.
 */
export function installBodyParsers(app: INestApplication, limit = '16mb'): void {
  app.use(express.json({ limit, type: ['application/json', 'application/*+json'] }));
  app.use(express.text({ limit, type: TEXT_MEDIA_TYPES }));
  app.use((error: Error & { status?: number; type?: string }, req: Request, res: Response, next: NextFunction) => {
    if (!error) return next();
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 400;
    const detail =
      error.type === 'entity.parse.failed'
        ? `The body is not valid JSON: ${error.message}`
        : error.type === 'entity.too.large'
          ? `The body is larger than ${limit}`
          : error.message;
    res
      .status(status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        JSON.stringify({
          type: 'https://cosmolocal.dev/problems/malformed-body',
          title: status === 413 ? 'The request body is too large' : 'The request body cannot be read',
          status,
          detail,
          instance: req.originalUrl,
        }),
      );
  });
}
