import { type BeforeApplicationShutdown, type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import type { AppConfig } from '#libs/config/src/index.js';
import { QUEUES } from '#libs/contracts/src/index.js';
import type { AllocationDecisionMessage } from '#libs/contracts/src/production/messages.js';
import { OutboxModule, OutboxRelay, OutboxWriter, QueueWorkers } from '#libs/outbox/src/index.js';
import { type ServiceClient, serviceClientToken, serviceFoundation } from '#libs/platform/src/index.js';
import { AutomationHandlers } from './automation/automation.handlers.js';
import { AutomationService } from './automation/automation.service.js';
import { ProductionAuthzController } from './authz/authz.controller.js';
import { ConnectorPool, type ConnectorPoolOptions } from './connectors/connector-pool.js';
import { JobWork } from './jobs/job-work.js';
import { RequeueSweep, type RequeueSweepOptions } from './jobs/requeue-sweep.js';
import { productionDatabase } from './production.database.js';
import { ProductionHandlers } from './production.handlers.js';
import { ProductionService } from './production.service.js';
import { EventPublisher } from './shared/events.js';
import { isRefusal, NEIGHBOURS, type Neighbours, TransportNeighbours } from './shared/neighbours.js';
import { UUID_RE } from './shared/ids.js';

export interface ProductionOptions {
  /** Work the queues of automated units in this process (default true). */
  connectors?: boolean;
  connectorPool?: ConnectorPoolOptions;
  /** Concurrency of the council decisions' processor. */
  allocationConcurrency?: number;
  /** The re-queue sweep of live jobs whose queue entry died (default on, timing from libs/contracts/src/queues.ts). */
  requeueSweep?: RequeueSweepOptions | false;
}

const PRODUCTION_OPTIONS = Symbol('PRODUCTION_OPTIONS');

/** Starts production's BullMQ consumers with the app, stops them first at shutdown. */
@Injectable()
class ProductionWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ProductionWorkers');

  constructor(
    @Inject(PRODUCTION_OPTIONS) private readonly options: ProductionOptions,
    @Inject(ProductionService) private readonly production: ProductionService,
    @Inject(ConnectorPool) private readonly pool: ConnectorPool,
    @Inject(QueueWorkers) private readonly workers: QueueWorkers,
    @Inject(RequeueSweep) private readonly sweep: RequeueSweep,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.workers.start<AllocationDecisionMessage, string>(
      QUEUES.allocations,
      async (job) => {
        const d = job.data;
        if (!d || !UUID_RE.test(String(d.roundId)) || !UUID_RE.test(String(d.requestId)) || typeof d.funded !== 'boolean') {
          throw new UnrecoverableError(`malformed allocation decision ${JSON.stringify(d)}`);
        }
        try {
          return await this.production.allocation.apply({ ...d, reason: String(d.reason ?? '') });
        } catch (error) {
          // A refusal will not change on retry (unknown request…); anything else is retried with backoff.
          if (isRefusal(error)) {
            this.logger.warn(`allocation ${d.roundId}/${d.requestId} refused: ${error.message}`);
            return `refused: ${error.message}`;
          }
          throw error;
        }
      },
      { concurrency: this.options.allocationConcurrency ?? 20 },
    );
    if (this.options.connectors !== false) await this.pool.start();
    if (this.options.requeueSweep !== false) this.sweep.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.sweep.stop();
    await this.pool.stop();
  }
}

@Module({})
export class ProductionModule {
  static forRoot(config: AppConfig, options: ProductionOptions = productionOptionsFromEnv()): DynamicModule {
    // Production calls itself too: its state-change events go out through its own client.
    const foundation = serviceFoundation(config, 'production', productionDatabase, ['commons', 'fabrication', 'production']);
    return {
      module: ProductionModule,
      imports: [...foundation.imports, OutboxModule.forApp({ schema: 'production' })],
      controllers: [foundation.health, ProductionAuthzController, ProductionHandlers, AutomationHandlers],
      providers: [
        { provide: PRODUCTION_OPTIONS, useValue: options },
        {
          provide: NEIGHBOURS,
          inject: [serviceClientToken('commons'), serviceClientToken('fabrication')],
          useFactory: (commons: ServiceClient, fabrication: ServiceClient): Neighbours => new TransportNeighbours(commons, fabrication),
        },
        {
          provide: EventPublisher,
          inject: [serviceClientToken('production')],
          useFactory: (self: ServiceClient) => new EventPublisher({ emit: (pattern, data) => self.emit(pattern, data) }),
        },
        {
          provide: JobWork,
          inject: [DataSource, OutboxWriter, EventPublisher, OutboxRelay],
          useFactory: (ds: DataSource, outbox: OutboxWriter, events: EventPublisher, relay: OutboxRelay) =>
            new JobWork(ds, outbox, events, (entries) => relay.discard(entries)),
        },
        {
          provide: ProductionService,
          inject: [JobWork, NEIGHBOURS],
          useFactory: (work: JobWork, neighbours: Neighbours) => new ProductionService(work, neighbours),
        },
        {
          provide: ConnectorPool,
          inject: [JobWork, QueueWorkers],
          useFactory: (work: JobWork, workers: QueueWorkers) => new ConnectorPool(work, workers, options.connectorPool),
        },
        {
          provide: AutomationService,
          inject: [DataSource, ConnectorPool],
          useFactory: (ds: DataSource, pool: ConnectorPool) => new AutomationService(ds, pool),
        },
        {
          provide: RequeueSweep,
          inject: [JobWork],
          useFactory: (work: JobWork) =>
            new RequeueSweep(work, { redisUrl: config.redisUrl, namespace: config.namespace }, options.requeueSweep || {}),
        },
        ProductionWorkers,
      ],
    };
  }
}

/** Tuning from the environment (the launcher passes only the AppConfig). */
export function productionOptionsFromEnv(env: Record<string, string | undefined> = process.env): ProductionOptions {
  const n = (name: string) => (env[name] ? Number(env[name]) : undefined);
  return {
    connectors: env.PRODUCTION_CONNECTORS !== 'off',
    connectorPool: {
      ...(n('PRODUCTION_CONNECTOR_MAX_WORKERS') ? { maxWorkers: n('PRODUCTION_CONNECTOR_MAX_WORKERS') } : {}),
      ...(n('PRODUCTION_CONNECTOR_REFRESH_MS') ? { refreshMs: n('PRODUCTION_CONNECTOR_REFRESH_MS') } : {}),
      batch: {
        ...(n('PRODUCTION_CONNECTOR_BATCH') ? { maxBatch: n('PRODUCTION_CONNECTOR_BATCH') } : {}),
        ...(n('PRODUCTION_CONNECTOR_BATCH_WAIT_MS') !== undefined ? { maxWaitMs: n('PRODUCTION_CONNECTOR_BATCH_WAIT_MS') } : {}),
        ...(n('PRODUCTION_CONNECTOR_MAX_IN_FLIGHT') ? { maxInFlight: n('PRODUCTION_CONNECTOR_MAX_IN_FLIGHT') } : {}),
      },
    },
  };
}
