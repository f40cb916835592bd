import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '#libs/config/src/index.js';
import { createValidationPipe } from '#libs/platform/src/index.js';
import { GatewayModule } from './gateway.module.js';
import { installBodyParsers } from './http/body-parsers.js';
import { installOpenApi } from './http/openapi.js';

/** Builds the gateway's HTTP app, ready to listen. */
export async function createGateway(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  installBodyParsers(app);
  app.useGlobalPipes(createValidationPipe());
  installOpenApi(app);
  return app;
}
