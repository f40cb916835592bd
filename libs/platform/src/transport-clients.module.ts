import { type DynamicModule, Module } from '@nestjs/common';
import { ClientsModule } from '@nestjs/microservices';
import type { AppConfig } from '#libs/config/src/index.js';
import { serviceClientProviders, serviceClientToken } from './service-client.js';
import {
  type BackendService,
  NamespacedClientRedis,
  redisConnectionOptions,
  SERVICE_CLIENT,
} from '#libs/contracts/src/index.js';

/**
 * Transport clients for the named backend services: the raw ClientProxy under
 * SERVICE_CLIENT[name] and a typed ServiceClient under serviceClientToken(name).
 */
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
    const providers = serviceClientProviders(services);
    return {
      module: TransportClientsModule,
      imports: [clients],
      providers,
      exports: [clients, ...services.map(serviceClientToken)],
      global: true,
    };
  }
}
