import { Logger } from '@nestjs/common';
import type { Worker } from 'bullmq';
import { QUEUES } from '#libs/contracts/src/index.js';
import type { QueueWorkers, WorkerSettings } from '#libs/outbox/src/index.js';
import { AutomationRepository } from '../automation/typeorm-automation.repository.js';
import type { JobWork } from '../jobs/job-work.js';
import { SYSTEM_ACTOR } from '../shared/actor-columns.js';
import { connectorProcessor } from './connector-processor.js';
import type { BatcherOptions } from '../shared/batcher.js';
import { JobBatcher } from './job-batcher.js';

export interface ConnectorPoolOptions {
  /** At most this many unit queues worked by this process (each Worker holds a blocking Redis connection). */
  maxWorkers?: number;
  /**
   * How often the list of automated units is read again (ms). This is how every process learns
   * of a unit automated or released elsewhere (the HTTP route refreshes its own process at once).
   */
  refreshMs?: number;
  /** Only units whose id hashes to this shard (`index` of `count`): several connector processes split the units. */
  shard?: { index: number; count: number };
  /** BullMQ settings for the workers (lock and stalled check default to libs/contracts). */
  worker?: WorkerSettings;
  batch?: BatcherOptions;
}

export interface AutomatedUnit {
  fabUnitId: string;
  concurrency: number;
  workMs: number;
}

/**
 * Which fab unit queues a process works, and with what.
 *
 * Decision: BullMQ has no worker over many queues, and a Worker costs a blocking Redis
 * connection and a polling loop, so thousands of units cannot each get one eagerly. Most
 * units are worked by people and by external connectors over HTTP (`POST /fab-units/{id}/jobs/next`,
 * which reads PostgreSQL, not Redis); their queue needs no worker. Only units registered as
 * automated (table `production.automated_units`) get a Worker here, lazily, up to
 * `maxWorkers` per process; beyond that, run more connector processes (`connector.main.ts`),
 * each taking a shard of the units by hash. All share one JobBatcher per process, so the
 * database sees few, larger transactions however many queues are worked.
 *
 * Decision: the table is the one truth of which units are automated, and each pool re-reads
 * it every `refreshMs`. No transport event tells the others of a change: Redis pub/sub drops
 * what a reconnecting process misses, and connector.main.ts processes have no transport
 * server to hear it. A change reaches every process within `refreshMs`, however it was made.
 */
export class ConnectorPool {
  private readonly logger = new Logger('ConnectorPool');
  private readonly workers = new Map<string, { worker: Worker; unit: AutomatedUnit }>();
  readonly batcher: JobBatcher;
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  /** A refresh asked for while one runs: it must read the table after the change that asked for it. */
  private refreshAgain: Promise<void> | null = null;
  /** Workers released and still finishing their active jobs. */
  private readonly closing = new Set<Promise<void>>();
  private readonly automation = new AutomationRepository();
  private stopped = false;
  /** Only a started pool works the table's units (automate() on a pool that is off only registers). */
  private active = false;

  constructor(
    private readonly work: JobWork,
    private readonly queueWorkers: QueueWorkers,
    private readonly options: ConnectorPoolOptions = {},
  ) {
    this.batcher = new JobBatcher(work, SYSTEM_ACTOR, options.batch);
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.active = true;
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch((e: Error) => this.logger.warn(`refresh: ${e.message}`)), this.options.refreshMs ?? 5000);
    this.timer.unref();
  }

  /** Graceful: active jobs finish (their transactions commit), no new ones are taken. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.active = false;
    if (this.timer) clearInterval(this.timer);
    await this.refreshAgain?.catch(() => undefined);
    await this.refreshing?.catch(() => undefined);
    const all = [...this.workers.values()];
    this.workers.clear();
    await Promise.all([...all.map(({ worker }) => this.queueWorkers.close(worker)), ...this.closing]);
  }

  /** Registers a unit as automated (or updates it) and starts working its queue. */
  async automate(unit: AutomatedUnit): Promise<void> {
    await this.automation.upsert(this.work.dataSource.manager, unit);
    await this.refresh();
  }

  async release(fabUnitId: string): Promise<void> {
    await this.automation.remove(this.work.dataSource.manager, fabUnitId);
    await this.refresh();
  }

  /** Whether this process works the unit's queue now. */
  works(fabUnitId: string): boolean {
    return this.workers.has(fabUnitId);
  }

  /** Resolves when every worker started so far listens to its queue. */
  async ready(): Promise<void> {
    await Promise.all([...this.workers.values()].map(({ worker }) => worker.waitUntilReady()));
  }

  get units(): string[] {
    return [...this.workers.keys()];
  }

  /**
   * Reads the table and starts or stops workers to match. Resolves once a read begun after this
   * call is applied: one in flight may have read the table before the caller's change, so a
   * call during it is answered by the next one (calls meanwhile share that next one).
   */
  refresh(): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = this.refreshOnce().finally(() => {
        this.refreshing = null;
      });
      return this.refreshing;
    }
    this.refreshAgain ??= this.refreshing
      .catch(() => undefined)
      .then(() => {
        this.refreshAgain = null;
        return this.refresh();
      });
    return this.refreshAgain;
  }

  /** Works the given units in this process, whatever the table says (a dedicated connector process). */
  async workUnits(units: readonly AutomatedUnit[]): Promise<void> {
    for (const unit of units) this.startWorker(unit);
  }

  private async refreshOnce(): Promise<void> {
    if (this.stopped || !this.active) return;
    const rows = await this.automation.all(this.work.dataSource.manager);
    const shard = this.options.shard;
    const wanted = rows
      .filter((r) => !shard || hashOf(r.fab_unit_id) % shard.count === shard.index)
      .slice(0, this.options.maxWorkers ?? 200)
      .map((r) => ({ fabUnitId: r.fab_unit_id, concurrency: r.concurrency, workMs: r.work_ms }));
    const ids = new Set(wanted.map((u) => u.fabUnitId));
    for (const [id, { worker, unit }] of this.workers) {
      const now = wanted.find((u) => u.fabUnitId === id);
      if (!ids.has(id) || now!.concurrency !== unit.concurrency || now!.workMs !== unit.workMs) {
        this.workers.delete(id);
        // Not awaited: a released unit's active jobs may take the machine's time to finish, and
        // the refresh (and the HTTP call behind it) must not wait for them. A changed unit's new
        // worker may start beside the closing one; both run the same idempotent steps.
        const closed = this.queueWorkers.close(worker).catch((e: Error) => this.logger.warn(`closing worker of ${id}: ${e.message}`));
        this.closing.add(closed);
        void closed.finally(() => this.closing.delete(closed));
      }
    }
    if (this.stopped) return;
    for (const unit of wanted) if (!this.workers.has(unit.fabUnitId)) this.startWorker(unit);
  }

  private startWorker(unit: AutomatedUnit): void {
    if (this.workers.has(unit.fabUnitId)) return;
    const worker = this.queueWorkers.start(QUEUES.fabUnit(unit.fabUnitId), connectorProcessor(this.batcher, unit.workMs), {
      ...this.options.worker,
      concurrency: unit.concurrency,
    });
    this.workers.set(unit.fabUnitId, { worker: worker as unknown as Worker, unit });
  }
}

function hashOf(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h;
}
