import type { DynamicModule, Type } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type AppConfig, AppConfigModule } from '#libs/config/src/index.js';
import { type BackendService, healthPattern } from '#libs/contracts/src/index.js';
import { type AppDatabaseDefinition, DatabaseModule } from '#libs/database/src/index.js';
import { healthControllerFor } from './health.controller.js';
import { loggerParams } from './logger.js';
import { TransportClientsModule } from './transport-clients.module.js';

/**
 * What every backend service's root module starts with: its config, its logger, its own
 * schema and clients for the services it calls, plus its health handler. The app adds its
 * domain modules, queues and handlers.
 */
export function serviceFoundation(
  config: AppConfig,
  service: BackendService,
  database: AppDatabaseDefinition,
  peers: readonly BackendService[],
): { imports: DynamicModule[]; health: Type<unknown> } {
  return {
    imports: [
      AppConfigModule.forRoot(config),
      LoggerModule.forRoot(loggerParams(config, service)),
      DatabaseModule.forApp(database),
      ...(peers.length ? [TransportClientsModule.register(config, [...peers])] : []),
    ],
    health: healthControllerFor(healthPattern(service)),
  };
}
