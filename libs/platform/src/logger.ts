import type { Params } from 'nestjs-pino';
import type { AppConfig } from '#libs/config/src/index.js';

/**
 * Structured JSON logs; pretty output is a reader's choice (pipe through pino-pretty).
 * nestjs-pino keeps one root logger per process, so in the all-in-one process the apps share
 * it: the `context` field (the class that logged) tells them apart, not a per-app label.
 */
export function loggerParams(config: AppConfig, _app: string): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
      autoLogging: config.logLevel === 'debug' || config.logLevel === 'trace',
    },
  };
}
