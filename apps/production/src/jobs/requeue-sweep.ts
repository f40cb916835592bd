import { Logger } from '@nestjs/common';
import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { MAX_REQUEUES, QUEUES, REQUEUE_MIN_AGE_MS, REQUEUE_SWEEP_INTERVAL_MS } from '#libs/contracts/src/index.js';
import { bullPrefix, createRedis, type QueueConnection } from '#libs/outbox/src/index.js';
import type { JobWork } from './job-work.js';
import { decideRequeue, type EntryState, type QueueEntry } from './requeue.js';

export interface RequeueSweepOptions {
  intervalMs?: number;
  /** Rows changed more recently than this are left alone (ms). */
  minAgeMs?: number;
  maxRequeues?: number;
  /** Candidates read per round; the rest wait for the next round. */
  batch?: number;
  /** A Redis call that takes longer aborts the round (Redis down): nothing is decided on a guess. */
  redisTimeoutMs?: number;
}

export interface SweepReport {
  /** Candidates whose queue entry was looked at. */
  checked: number;
  requeued: string[];
  failed: string[];
}

/** One key for the whole deployment's database: two production processes never sweep at once. */
export const REQUEUE_SWEEP_LOCK = 'cosmolocal.production.requeue-sweep';

/**
 * Finds live jobs whose queue entry died and re-queues them (or, past the cap, fails them):
 * see requeue.ts for the rules.
 *
 * Decision: a timer in every production process, and a PostgreSQL advisory lock
 * (`pg_try_advisory_lock`, held by one session for the round) so that one runs at a time; a
 * process that finds the lock taken skips its round. Not a repeatable BullMQ job: the sweep
 * exists for the times Redis lost or dropped work, and a schedule kept in Redis would be lost
 * with it. The lock dies with its session, so a crashed sweeper blocks nobody.
 *
 * It reads only what the outbox has finished with (the relay's sweep marks an entry done
 * when BullMQ finished it or it vanished while Redis kept its data), so the ordinary paths
 * — an entry not sent yet, one the relay rebuilds after a Redis loss — are never raced.
 */
export class RequeueSweep {
  private readonly logger = new Logger('RequeueSweep');
  private readonly opts: Required<RequeueSweepOptions>;
  private readonly queues = new Map<string, Queue>();
  private redis: Redis | null = null;
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<SweepReport | null> | null = null;
  private cursor: string | null = null;
  private stopped = false;

  constructor(
    private readonly work: JobWork,
    private readonly connection: QueueConnection,
    options: RequeueSweepOptions = {},
  ) {
    this.opts = {
      intervalMs: REQUEUE_SWEEP_INTERVAL_MS,
      minAgeMs: REQUEUE_MIN_AGE_MS,
      maxRequeues: MAX_REQUEUES,
      batch: 500,
      redisTimeoutMs: 10_000,
      ...options,
    };
  }

  start(): void {
    this.stopped = false;
    if (this.timer) return;
    this.timer = setInterval(() => void this.run().catch((error: Error) => this.logger.warn(`sweep: ${error.message}`)), this.opts.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.current?.catch(() => undefined);
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.queues.clear();
    this.redis?.disconnect();
    this.redis = null;
  }

  /**
   * One round now (after the one in flight in this process, if any). Null when another process
   * holds the lock. `overrides` let a test or an operator's script look at younger rows.
   */
  run(overrides: Pick<RequeueSweepOptions, 'minAgeMs' | 'maxRequeues'> = {}): Promise<SweepReport | null> {
    const next = (this.current ?? Promise.resolve(null)).catch(() => null).then(() => this.locked({ ...this.opts, ...overrides }));
    this.current = next;
    void next
      .catch(() => undefined)
      .finally(() => {
        if (this.current === next) this.current = null;
      });
    return next;
  }

  private async locked(opts: Required<RequeueSweepOptions>): Promise<SweepReport | null> {
    if (this.stopped) return null;
    const session = this.work.dataSource.createQueryRunner();
    await session.connect();
    try {
      const [{ locked }] = (await session.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [REQUEUE_SWEEP_LOCK])) as { locked: boolean }[];
      if (!locked) return null;
      try {
        return await this.sweep(opts);
      } finally {
        await session.query(`SELECT pg_advisory_unlock(hashtext($1))`, [REQUEUE_SWEEP_LOCK]);
      }
    } finally {
      await session.release();
    }
  }

  private async sweep(opts: Required<RequeueSweepOptions>): Promise<SweepReport> {
    const report: SweepReport = { checked: 0, requeued: [], failed: [] };
    const candidates = await this.work.jobs.owingQueueEntries(this.work.dataSource.manager, {
      minAgeMs: opts.minAgeMs,
      limit: opts.batch,
      after: this.cursor,
      queuePrefix: QUEUES.fabUnit(''),
    });
    // Keyset pages: candidates left alone (entry alive after all) do not hide the ones behind them.
    this.cursor = candidates.length < opts.batch ? null : candidates[candidates.length - 1]!.jobId;
    for (const job of candidates) {
      if (this.stopped) break;
      const entry = await this.entry(QUEUES.fabUnit(job.fabUnitId), job.entryId, opts.redisTimeoutMs);
      report.checked++;
      const decision = decideRequeue(job, entry, opts.maxRequeues);
      if (decision.kind === 'requeue') {
        if (await this.work.requeue(job, decision, { deadEntry: decision.deadEntry })) report.requeued.push(job.jobId);
      } else if (decision.kind === 'giveUp') {
        if (await this.work.giveUp(job, decision.reason, { deadEntry: decision.deadEntry })) report.failed.push(job.jobId);
      }
    }
    if (report.requeued.length || report.failed.length) {
      this.logger.warn(`re-queued ${report.requeued.length} job(s) whose queue entry had died; failed ${report.failed.length} past ${opts.maxRequeues} re-queues`);
    }
    return report;
  }

  private async entry(queueName: string, id: string, timeoutMs: number): Promise<QueueEntry> {
    const queue = this.queueFor(queueName);
    const read = async (): Promise<QueueEntry> => {
      const job = (await queue.getJob(id)) as Job | undefined;
      if (!job) return { id, state: 'missing' };
      const state = (await job.getState()) as EntryState;
      return { id, state, attemptsMade: job.attemptsMade, attempts: job.opts.attempts ?? 1, ...(job.failedReason ? { failedReason: job.failedReason } : {}) };
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([read(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private queueFor(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      // One shared connection for every unit's queue: the sweep reads, it never blocks.
      if (!this.redis) {
        this.redis = createRedis(this.connection.redisUrl, { connectionName: 'production-requeue-sweep', maxRetriesPerRequest: 3 });
        this.redis.on('error', () => undefined); // reconnects by itself; a round that needs it fails and the next one retries
      }
      queue = new Queue(name, { connection: this.redis, prefix: bullPrefix(this.connection.namespace) });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }
}
