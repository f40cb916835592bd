import type { DynamicModule, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '#libs/config/src/index.js';
import { NamespacedServerRedis, redisConnectionOptions } from '#libs/contracts/src/index.js';
import { RpcProblemFilter } from './rpc-exception.filter.js';
import { createValidationPipe } from './validation.js';

/** Starts one backend service as a Nest microservice on the Redis transport. */
export async function startMicroservice(module: DynamicModule, config: AppConfig): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(module, {
    strategy: new NamespacedServerRedis(config.namespace, {
      ...redisConnectionOptions(config.redisUrl),
      retryAttempts: 1000,
      retryDelay: 500,
    }),
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new RpcProblemFilter());
  await app.listen();
  return app;
}
