import { Logger } from '@nestjs/common';
import { type Job, type Processor, Worker, type WorkerOptions } from 'bullmq';
import { STALLED_INTERVAL_MS, WORKER_LOCK_MS } from '#libs/contracts/src/index.js';
import { bullConnectionOptions, bullPrefix, type QueueConnection } from './redis-connection.js';

export type WorkerSettings = Partial<Omit<WorkerOptions, 'connection' | 'prefix'>>;

/**
 * The consumer side: starts BullMQ workers on the deployment's Redis and prefix with the
 * house defaults (lock and stalled check from libs/contracts), and closes them all at
 * shutdown, letting active jobs finish (graceful). Processors must be idempotent: a job
 * may run twice (stalled worker, Redis loss, outbox re-send); the second run must change
 * nothing in the database.
 */
export class QueueWorkers {
  private readonly workers = new Set<Worker>();
  private readonly logger = new Logger('QueueWorkers');

  constructor(private readonly connection: QueueConnection) {}

  start<T = unknown, R = unknown>(queue: string, processor: (job: Job<T>) => Promise<R>, settings: WorkerSettings = {}): Worker<T, R> {
    const worker = new Worker<T, R>(queue, processor as Processor<T, R>, {
      concurrency: 10,
      lockDuration: WORKER_LOCK_MS,
      stalledInterval: STALLED_INTERVAL_MS,
      maxStalledCount: 3,
      ...settings,
      connection: bullConnectionOptions(this.connection.redisUrl),
      prefix: bullPrefix(this.connection.namespace),
    });
    // Without a listener an 'error' event would throw; Redis restarts are routine here.
    worker.on('error', (error) => this.logger.warn(`worker ${queue}: ${error.message}`));
    worker.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) this.logger.error(`job ${job.id} on ${queue} failed for good: ${error.message}`);
    });
    this.workers.add(worker as Worker);
    worker.on('closed', () => this.workers.delete(worker as Worker));
    return worker;
  }

  async close(worker: Worker): Promise<void> {
    this.workers.delete(worker);
    await worker.close();
  }

  /** Graceful: waits for active jobs, takes no new ones. */
  async closeAll(): Promise<void> {
    const all = [...this.workers];
    this.workers.clear();
    await Promise.all(all.map((w) => w.close().catch((error: Error) => this.logger.warn(`closing worker ${w.name}: ${error.message}`))));
  }
}
