import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, PROBLEM_CONTENT_TYPE, type ProblemDetails } from '#libs/contracts/src/index.js';

const TITLES: Record<number, string> = {
  400: 'Your request is not valid',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict with the current state',
  413: 'The request body is too large',
  415: 'Unsupported media type',
  422: 'Refused by a rule',
  429: 'Too many requests',
  503: 'A part of Cosmolocal is not answering',
};

/** Every error the HTTP API gives is RFC 9457 problem details; nothing else leaks out. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<Request>();
    const response = ctx.getResponse<Response>();
    const problem = toProblem(exception, request.originalUrl ?? request.url);
    if (problem.status >= 500 && problem.status !== 503) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (response.headersSent) return;
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}

export function toProblem(exception: unknown, instance: string): ProblemDetails {
  if (exception instanceof DomainError) return exception.toProblem(instance);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const detail =
      typeof body === 'string'
        ? body
        : Array.isArray((body as { message?: unknown }).message)
          ? ((body as { message: string[] }).message.join('; '))
          : String((body as { message?: unknown }).message ?? exception.message);
    return {
      type: 'about:blank',
      title: TITLES[status] ?? exception.name,
      status,
      detail: status === 404 && detail.startsWith('Cannot ') ? `No route ${detail.slice(7)}` : detail,
      instance,
    };
  }
  return {
    type: 'about:blank',
    title: 'Internal error',
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    detail: 'Something went wrong on our side; it has been logged.',
    instance,
  };
}
