import { type DynamicModule, Module } from '@nestjs/common';
import { ClientsModule } from '@nestjs/microservices';
import type { AppConfig } from '#libs/config/src/index.js';
import {
  type BackendService,
  NamespacedClientRedis,
  redisConnectionOptions,
  SERVICE_CLIENT,
} from '#libs/contracts/src/index.js';

/** Transport clients for the named backend services, each under SERVICE_CLIENT[name]. */
@Module({})
export class TransportClientsModule {
  static register(config: AppConfig, services: readonly BackendService[]): DynamicModule {
    const clients = ClientsModule.register(
      services.map((service) => ({
        name: SERVICE_CLIENT[service],
        customClass: NamespacedClientRedis,
        options: { ...redisConnectionOptions(config.redisUrl), namespace: config.namespace, retryAttempts: 1000, retryDelay: 500 },
      })),
    );
    return { module: TransportClientsModule, imports: [clients], exports: [clients], global: true };
  }
}
