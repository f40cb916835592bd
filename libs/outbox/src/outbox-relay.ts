import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { DEFAULT_JOB_OPTIONS } from '#libs/contracts/src/index.js';
import { ident, outboxChannel } from './outbox-sql.js';
import { bullPrefix, createRedis, type QueueConnection } from './redis-connection.js';

export interface OutboxRelayOptions extends QueueConnection {
  schema: string;
  databaseUrl: string;
  /** Rows per transaction (one addBulk per queue in it). */
  batchSize?: number;
  /** Parallel drain loops in this process (each takes its own rows with SKIP LOCKED). */
  concurrency?: number;
  /** Polling fallback when a NOTIFY is missed (LISTEN connection down, another database). */
  pollMs?: number;
  /** How often rows handed to BullMQ are checked for completion (the `done_at` mark). */
  sweepMs?: number;
  sweepBatch?: number;
  /**
   * Rows are checked only once sent this long ago (ms): the mark must be made before BullMQ's
   * retention forgets the job (hours), and a job sent a moment ago is rarely finished yet.
   */
  sweepMinAgeMs?: number;
  /** An addBulk that hangs (Redis down) is given up after this; the rows stay unsent. */
  enqueueTimeoutMs?: number;
  jobOptions?: JobsOptions;
  /** Test hook: runs after BullMQ accepted a batch and before the rows' sent mark commits. */
  afterEnqueue?: (jobIds: string[]) => Promise<void> | void;
}

interface OutboxRow {
  id: string;
  queue: string;
  name: string;
  payload: Record<string, unknown>;
  job_id: string;
  delay_ms: number;
  age_ms: number;
  seq: string;
  entries: { jobId: string; payload: Record<string, unknown> }[] | null;
}

/** A sent row as the sweep and the reconciliation read it: its BullMQ job ids (a fan-out row has one per entry). */
interface SentRow {
  id: string;
  seq: string;
  queue: string;
  job_id: string;
  entries: { jobId: string }[] | null;
}

/** The BullMQ job ids a row stands for. */
const jobIdsOf = (r: Pick<SentRow, 'job_id' | 'entries'>): string[] => (r.entries ? r.entries.map((e) => e.jobId) : [r.job_id]);

/** Consecutive groups of rows standing for at most `max` BullMQ jobs each (a larger row alone): one Redis pipeline each. */
function byJobCount<R extends Pick<SentRow, 'job_id' | 'entries'>>(rows: readonly R[], max: number): R[][] {
  const groups: R[][] = [];
  let jobs = 0;
  for (const r of rows) {
    const n = jobIdsOf(r).length;
    if (groups.length === 0 || jobs + n > max) {
      groups.push([r]);
      jobs = n;
    } else {
      groups.at(-1)!.push(r);
      jobs += n;
    }
  }
  return groups;
}

export interface RelayStats {
  /** BullMQ jobs handed over (a fan-out row counts one per entry). */
  sent: number;
  batches: number;
  reconciles: number;
  resent: number;
  confirmed: number;
  errors: number;
}

/**
 * Moves committed outbox rows to BullMQ: claim a batch (`FOR UPDATE SKIP LOCKED`, marked sent
 * in the same statement, not yet committed), one addBulk per queue with jobId = the row's job
 * id, commit. A crash (or a Redis error) between the addBulk and the commit rolls the mark
 * back and leaves the rows unsent; the next pass adds them again under the same job ids, which
 * BullMQ ignores: enqueued once. Several relays (one per process of the app) share the work
 * through SKIP LOCKED.
 *
 * Wakes on NOTIFY from the writer, polls as a fallback.
 *
 * Redis holds no truth: a sentinel key, set once the queues are known to mirror the outbox,
 * disappears when Redis loses its data (restart without persistence, failover, FLUSHALL).
 * Seeing it gone (checked every poll and on every reconnect), the relay reconciles: every row
 * sent but not known done whose BullMQ job no longer exists goes back to unsent and is sent
 * again. Done is learnt by a sweep that reads each sent row's job (finished in BullMQ, or
 * removed after its retention window while the sentinel stood). A job that finished just
 * before the loss and was not yet swept is sent again: processors are idempotent, so the
 * database changes once.
 */
export class OutboxRelay {
  private readonly logger = new Logger('OutboxRelay');
  private readonly table: string;
  private readonly channel: string;
  private readonly sentinelKey: string;
  private readonly prefix: string;
  private readonly opts: Required<Omit<OutboxRelayOptions, 'afterEnqueue' | 'jobOptions'>> & Pick<OutboxRelayOptions, 'afterEnqueue'> & { jobOptions: JobsOptions };

  private pool: pg.Pool | null = null;
  private listener: pg.Client | null = null;
  private redis: Redis | null = null;
  private readonly queues = new Map<string, Queue>();

  private started = false;
  private stopping = false;
  private loops = 0;
  private wanted = false;
  private readonly idle = new Set<() => void>();
  private timers: NodeJS.Timeout[] = [];
  private reconnectTimer: NodeJS.Timeout | null = null;
  private sentinelCheck: Promise<void> | null = null;
  private sweeping: Promise<void> | null = null;
  private sweepCursor = '0';
  private epoch: string | null = null;

  readonly stats: RelayStats = { sent: 0, batches: 0, reconciles: 0, resent: 0, confirmed: 0, errors: 0 };

  constructor(options: OutboxRelayOptions) {
    this.opts = {
      batchSize: 1000,
      concurrency: 2,
      pollMs: 1000,
      sweepMs: 5000,
      sweepBatch: 2000,
      sweepMinAgeMs: 10_000,
      enqueueTimeoutMs: 10_000,
      ...options,
      jobOptions: options.jobOptions ?? (DEFAULT_JOB_OPTIONS as unknown as JobsOptions),
    };
    this.table = `${ident(options.schema)}.outbox`;
    this.channel = outboxChannel(options.schema);
    this.sentinelKey = `${options.namespace}:outbox-sentinel:${options.schema}`;
    this.prefix = bullPrefix(options.namespace);
  }

  get running(): boolean {
    return this.started && !this.stopping;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    this.pool = new pg.Pool({
      connectionString: this.opts.databaseUrl,
      max: this.opts.concurrency + 1,
      application_name: `cosmolocal-${this.opts.schema}-outbox`,
      // The claim must walk the unsent index in seq order and stop at its LIMIT. Under load the
      // planner, misled by the index's many entries of rows sent a moment ago (dead until
      // vacuum), chose a bitmap scan instead: every batch read all of those entries and their
      // heap pages again (18-27 ms a batch, growing with the backlog), and, unlike an index
      // scan, never marked them dead for the next batch to skip. These connections run only the
      // relay's own statements, all of which have an index to walk.
      options: '-c enable_bitmapscan=off',
    });
    this.pool.on('error', (error) => this.logger.warn(`outbox pool: ${error.message}`));
    this.redis = createRedis(this.opts.redisUrl, { connectionName: `outbox-relay-${this.opts.schema}` });
    this.redis.on('error', () => undefined); // reconnects by itself; failures surface in drain
    this.redis.on('ready', () => this.checkSentinelSoon());
    await this.listen();
    await this.checkSentinel().catch((error: Error) => this.fail('sentinel check', error));
    this.timers.push(
      setInterval(() => {
        this.checkSentinelSoon();
        this.wake();
      }, this.opts.pollMs),
      setInterval(() => void this.sweep(), this.opts.sweepMs),
    );
    for (const t of this.timers) t.unref();
    this.wake();
  }

  /** Stops taking rows, waits for the batches in flight, closes its connections. */
  async stop(): Promise<void> {
    if (!this.started || this.stopping) return;
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.whenIdle();
    await this.sweeping?.catch(() => undefined);
    await this.sentinelCheck?.catch(() => undefined);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.queues.clear();
    await this.pool?.end().catch(() => undefined);
    this.pool = null;
    this.redis?.disconnect();
    this.redis = null;
    this.started = false;
  }

  /** Asks for a pass now (the writer's NOTIFY does this across processes). */
  wake(): void {
    if (!this.running) return;
    this.wanted = true;
    this.spawn();
  }

  /** Drains until no unsent row is left (tests, benchmarks, shutdown of a one-off script). */
  async flush(): Promise<void> {
    if (!this.running) throw new Error('the relay is not running');
    for (;;) {
      const n = await this.drainOnce();
      if (n === 0 && (await this.unsentCount()) === 0) return;
      if (n === 0) await new Promise((r) => setTimeout(r, 20));
    }
  }

  async unsentCount(): Promise<number> {
    const { rows } = await this.db().query<{ n: string }>(`SELECT count(*) AS n FROM ${this.table} WHERE sent_at IS NULL`);
    return Number(rows[0]!.n);
  }

  /**
   * Puts back to unsent every row sent but not known done whose BullMQ job is gone, and sends
   * them. Runs by itself when the sentinel is missing; safe to call at any time, from any
   * number of processes. Returns how many rows were checked and re-sent.
   */
  async reconcile(): Promise<{ checked: number; resent: number }> {
    let cursor = '0';
    let checked = 0;
    let resent = 0;
    for (;;) {
      const { rows } = await this.db().query<SentRow>(
        `SELECT id, seq, queue, job_id, entries FROM ${this.table}
         WHERE sent_at IS NOT NULL AND done_at IS NULL AND seq > $1 ORDER BY seq LIMIT 5000`,
        [cursor],
      );
      if (rows.length === 0) break;
      cursor = rows[rows.length - 1]!.seq;
      checked += rows.length;
      const missing: SentRow[] = [];
      for (const group of byJobCount(rows, 5000)) {
        const pipeline = this.redisClient().pipeline();
        for (const r of group) for (const jobId of jobIdsOf(r)) pipeline.exists(this.jobKey(r.queue, jobId));
        const answers = (await pipeline.exec()) ?? [];
        let at = 0;
        // A fan-out row with any of its jobs gone is sent again whole: BullMQ ignores the job ids it still has.
        for (const r of group) {
          let gone = false;
          for (let k = jobIdsOf(r).length; k > 0; k--) {
            const [error, value] = answers[at++] ?? [new Error('no answer'), 0];
            if (error) throw error;
            if (value === 0) gone = true;
          }
          if (gone) missing.push(r);
        }
      }
      if (missing.length) {
        const result = await this.db().query(
          `UPDATE ${this.table} SET sent_at = NULL WHERE id = ANY($1::uuid[]) AND done_at IS NULL AND sent_at IS NOT NULL`,
          [missing.map((r) => r.id)],
        );
        resent += result.rowCount ?? 0;
      }
    }
    this.stats.reconciles++;
    this.stats.resent += resent;
    if (resent) this.logger.warn(`outbox ${this.opts.schema}: ${resent} of ${checked} sent messages were missing from Redis; sending them again`);
    this.wake();
    return { checked, resent };
  }

  /**
   * Removes entries that became moot (best effort, after the commit that made them so): e.g. a
   * job a person took over HTTP no longer needs its queue entry. Active (locked) entries stay;
   * their processor finds nothing to do. The sweep then marks the rows done.
   */
  async discard(entries: readonly { queue: string; jobId: string }[]): Promise<void> {
    if (!this.running || entries.length === 0) return;
    await Promise.all(entries.map((e) => this.queueFor(e.queue).remove(e.jobId).catch(() => 0)));
  }

  /** One sweep of sent rows: marks done those BullMQ finished (or removed after their retention). */
  async sweep(): Promise<void> {
    if (!this.running) return;
    if (this.sweeping) return this.sweeping;
    this.sweeping = this.sweepOnce()
      .catch((error: Error) => this.fail('sweep', error))
      .finally(() => {
        this.sweeping = null;
      });
    return this.sweeping;
  }

  // --- internals -------------------------------------------------------------------------

  /** One more drain loop, up to `concurrency`; each drains at least once before it may end. */
  private spawn(): void {
    if (!this.running || this.loops >= this.opts.concurrency) return;
    this.loops++;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      let full = true;
      while (this.running && (full || this.wanted)) {
        this.wanted = false;
        const n = await this.drainOnce();
        full = n >= this.opts.batchSize;
        if (full) this.spawn(); // more is waiting: let another loop join
      }
    } catch (error) {
      this.fail('drain', error as Error);
    } finally {
      this.loops--;
      if (this.loops === 0) for (const resolve of this.idle) resolve();
    }
  }

  private whenIdle(): Promise<void> {
    if (this.loops === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.idle.delete(done);
        resolve();
      };
      this.idle.add(done);
    });
  }

  /**
   * One batch: claim the oldest unsent rows (locked, marked sent, not committed), hand them to
   * BullMQ, commit. The mark is made before the addBulk but commits only after it succeeded:
   * a failure or a crash in between rolls it back and the rows are unsent again, exactly as if
   * they had only been locked. Claiming and marking in one statement saves a second pass over
   * the rows (and the round trip with their ids) per batch.
   */
  private async drainOnce(): Promise<number> {
    const client = await this.db().connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>(
        `UPDATE ${this.table} o SET sent_at = now(), sends = o.sends + 1
         FROM (SELECT id FROM ${this.table} WHERE sent_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED) c
         WHERE o.id = c.id
         RETURNING o.id, o.seq, o.queue, o.name, o.payload, o.job_id, o.delay_ms, o.entries,
                   (extract(epoch FROM clock_timestamp() - o.created_at) * 1000)::float8 AS age_ms`,
        [this.opts.batchSize],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      // RETURNING keeps no order: each queue gets its rows in the order they were written (seq).
      rows.sort((a, b) => (a.seq.length - b.seq.length) || (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
      const jobs = await this.enqueue(rows);
      await this.opts.afterEnqueue?.(rows.flatMap((r) => jobIdsOf(r)));
      await client.query('COMMIT');
      this.stats.sent += jobs;
      this.stats.batches++;
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Hands the rows' jobs to BullMQ (one addBulk per queue); returns how many jobs. */
  private async enqueue(rows: OutboxRow[]): Promise<number> {
    const byQueue = new Map<string, OutboxRow[]>();
    for (const r of rows) {
      const list = byQueue.get(r.queue);
      if (list) list.push(r);
      else byQueue.set(r.queue, [r]);
    }
    const work = Promise.all(
      [...byQueue].map(([queue, list]) =>
        this.queueFor(queue).addBulk(
          list.flatMap((r) => {
            const delay = Math.max(0, Math.round(r.delay_ms - r.age_ms));
            const opts = { ...this.opts.jobOptions, ...(delay > 0 ? { delay } : {}) };
            if (!r.entries) return [{ name: r.name, data: r.payload, opts: { ...opts, jobId: r.job_id } }];
            return r.entries.map((e) => ({ name: r.name, data: e.payload, opts: { ...opts, jobId: e.jobId } }));
          }),
        ),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`BullMQ did not take the batch within ${this.opts.enqueueTimeoutMs} ms`)), this.opts.enqueueTimeoutMs);
    });
    try {
      const added = await Promise.race([work, timeout]);
      return added.reduce((n, jobs) => n + jobs.length, 0);
    } finally {
      clearTimeout(timer);
      work.catch(() => undefined);
    }
  }

  private async sweepOnce(): Promise<void> {
    const before = await this.redisClient().get(this.sentinelKey);
    if (before === null || before !== this.epoch) {
      this.checkSentinelSoon();
      return;
    }
    // An index range scan of at most sweepBatch rows; rows are (about) sent in seq order, so
    // the first one too young to check ends this round and the next starts from the oldest.
    const { rows: page } = await this.db().query<SentRow & { young: boolean }>(
      `SELECT id, seq, queue, job_id, entries, sent_at > now() - make_interval(secs => $3::float8 / 1000) AS young
       FROM ${this.table} WHERE sent_at IS NOT NULL AND done_at IS NULL AND seq > $1 ORDER BY seq LIMIT $2`,
      [this.sweepCursor, this.opts.sweepBatch, this.opts.sweepMinAgeMs],
    );
    const firstYoung = page.findIndex((r) => r.young);
    // At most sweepBatch BullMQ jobs a round (fan-out rows hold many), and at least one row.
    const groups = byJobCount(firstYoung < 0 ? page : page.slice(0, firstYoung), this.opts.sweepBatch);
    const rows = groups[0] ?? [];
    const cut = groups.length > 1;
    this.sweepCursor = cut ? rows[rows.length - 1]!.seq : firstYoung >= 0 || page.length < this.opts.sweepBatch ? '0' : page[page.length - 1]!.seq;
    if (rows.length === 0) return;
    const pipeline = this.redisClient().pipeline();
    for (const r of rows) for (const jobId of jobIdsOf(r)) pipeline.hmget(this.jobKey(r.queue, jobId), 'finishedOn', 'timestamp');
    const answers = (await pipeline.exec()) ?? [];
    // A job missing now but present in a Redis that has since lost everything is not done:
    // only trust "missing" when the sentinel stood the whole time.
    const after = await this.redisClient().get(this.sentinelKey);
    if (after !== before) {
      this.checkSentinelSoon();
      return;
    }
    // A row is done when every job it stands for is finished or gone.
    const done: string[] = [];
    let at = 0;
    for (const r of rows) {
      let finished = true;
      for (let k = jobIdsOf(r).length; k > 0; k--) {
        const [error, value] = answers[at++] ?? [new Error('no answer'), null];
        const [finishedOn, timestamp] = (value ?? [null, 'unknown']) as [string | null, string | null];
        if (error || (finishedOn === null && timestamp !== null)) finished = false;
      }
      if (finished) done.push(r.id);
    }
    if (done.length) {
      await this.db().query(`UPDATE ${this.table} SET done_at = now() WHERE id = ANY($1::uuid[]) AND done_at IS NULL AND sent_at IS NOT NULL`, [uuidArray(done)]);
      this.stats.confirmed += done.length;
    }
  }

  private checkSentinelSoon(): void {
    if (!this.running || this.sentinelCheck) return;
    this.sentinelCheck = this.checkSentinel()
      .catch((error: Error) => this.fail('sentinel check', error))
      .finally(() => {
        this.sentinelCheck = null;
      });
  }

  private async checkSentinel(): Promise<void> {
    const redis = this.redisClient();
    const value = await redis.get(this.sentinelKey);
    if (value !== null) {
      this.epoch = value;
      return;
    }
    // A Redis without the sentinel is fresh or has lost its data: rebuild from PostgreSQL,
    // then (only then) plant the sentinel, so a crash in between makes the next start redo it.
    this.epoch = null;
    await this.reconcile();
    await redis.set(this.sentinelKey, randomUUID(), 'NX');
    this.epoch = await redis.get(this.sentinelKey);
  }

  private async listen(): Promise<void> {
    if (this.stopping) return;
    const client = new pg.Client({ connectionString: this.opts.databaseUrl, application_name: `cosmolocal-${this.opts.schema}-outbox-listen` });
    const retry = () => {
      if (this.listener !== client || this.stopping) return;
      this.listener = null;
      client.end().catch(() => undefined);
      this.reconnectTimer = setTimeout(() => void this.listen(), 1000);
      this.reconnectTimer.unref();
    };
    client.on('notification', () => this.wake());
    client.on('error', retry);
    client.on('end', retry);
    this.listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${ident(this.channel)}`);
    } catch (error) {
      this.logger.warn(`outbox ${this.opts.schema}: LISTEN failed (${(error as Error).message}); polling meanwhile`);
      retry();
    }
  }

  private queueFor(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      // Queues share the relay's one connection: thousands of fab unit queues cost no sockets.
      queue = new Queue(name, { connection: this.redisClient(), prefix: this.prefix });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  private jobKey(queue: string, jobId: string): string {
    return `${this.prefix}:${queue}:${jobId}`;
  }

  private db(): pg.Pool {
    if (!this.pool) throw new Error('the relay is not running');
    return this.pool;
  }

  private redisClient(): Redis {
    if (!this.redis) throw new Error('the relay is not running');
    return this.redis;
  }

  private fail(what: string, error: Error): void {
    this.stats.errors++;
    if (!this.stopping) this.logger.warn(`outbox ${this.opts.schema} ${what}: ${error.message}`);
  }
}

/** A uuid[] literal: ids need no escaping, and pg's per-element escaping shows in profiles at 1,000 ids a batch. */
function uuidArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}
