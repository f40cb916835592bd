import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config/src/index.js';
import { redisConnectionOptions } from '#libs/contracts/src/index.js';

export const GATEWAY_REDIS = Symbol('GATEWAY_REDIS');

export const gatewayRedisProvider: Provider = {
  provide: GATEWAY_REDIS,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) =>
    new Redis({ ...redisConnectionOptions(config.redisUrl), maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false }),
};

@Injectable()
export class GatewayRedisCloser implements OnApplicationShutdown {
  constructor(@Inject(GATEWAY_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
