import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '#libs/config/src/index.js';
import { DEFAULT_JOB_OPTIONS, redisConnectionOptions } from '#libs/contracts/src/index.js';

/** BullMQ on the deployment's Redis, keys under the deployment's namespace. */
@Module({})
export class QueuesModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: QueuesModule,
      imports: [
        BullModule.forRoot({
          connection: { ...redisConnectionOptions(config.redisUrl), maxRetriesPerRequest: null },
          prefix: `${config.namespace}:bull`,
          defaultJobOptions: DEFAULT_JOB_OPTIONS,
        }),
      ],
      exports: [BullModule],
    };
  }
}
