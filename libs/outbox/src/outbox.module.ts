import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config/src/index.js';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
import { OutboxWriter } from './outbox-writer.js';
import { QueueWorkers } from './queue-workers.js';

export interface OutboxModuleOptions {
  /** The app's PostgreSQL schema, where its `outbox` table lives. */
  schema: string;
  /** Run the relay in this process (default true). */
  relay?: boolean;
  /** Tuning; the connection settings come from APP_CONFIG. */
  relayOptions?: Omit<OutboxRelayOptions, 'schema' | 'databaseUrl' | 'redisUrl' | 'namespace'>;
}

export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');

/** Starts the relay with the app, and at shutdown closes workers (active jobs finish) before the relay. */
@Injectable()
class OutboxLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxModuleOptions,
    private readonly relay: OutboxRelay,
    private readonly workers: QueueWorkers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.relay !== false) await this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.workers.closeAll();
    await this.relay.stop();
  }
}

@Module({})
export class OutboxModule {
  static forApp(options: OutboxModuleOptions): DynamicModule {
    return {
      module: OutboxModule,
      providers: [
        { provide: OUTBOX_OPTIONS, useValue: options },
        { provide: OutboxWriter, useFactory: () => new OutboxWriter(options.schema) },
        {
          provide: OutboxRelay,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) =>
            new OutboxRelay({
              ...options.relayOptions,
              schema: options.schema,
              databaseUrl: config.databaseUrl,
              redisUrl: config.redisUrl,
              namespace: config.namespace,
            }),
        },
        {
          provide: QueueWorkers,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => new QueueWorkers({ redisUrl: config.redisUrl, namespace: config.namespace }),
        },
        OutboxLifecycle,
      ],
      exports: [OutboxWriter, OutboxRelay, QueueWorkers],
    };
  }
}
