import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { dropDatabase, ensureDatabase, SnakeNamingStrategy } from '#libs/database/src/index.js';
import { testConfig } from '#libs/testing/src/test-config.js';
import { OutboxEntity } from './outbox.entity.js';
import { OutboxRelay } from './outbox-relay.js';
import { outboxFanoutSql, outboxTableSql } from './outbox-sql.js';
import { OutboxWriter } from './outbox-writer.js';
import { bullConnectionOptions, bullPrefix, createRedis } from './redis-connection.js';

jest.setTimeout(180_000);

const SCHEMA = 'outbox_spec';
const config = testConfig();
const prefix = bullPrefix(config.namespace);
let ds: DataSource;
let redis: Redis;
const writer = new OutboxWriter(SCHEMA);
const relays: OutboxRelay[] = [];

function relay(extra: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}): OutboxRelay {
  const r = new OutboxRelay({
    schema: SCHEMA,
    databaseUrl: config.databaseUrl,
    redisUrl: config.redisUrl,
    namespace: config.namespace,
    pollMs: 100,
    sweepMs: 100,
    sweepMinAgeMs: 0,
    ...extra,
  });
  relays.push(r);
  return r;
}

async function until(check: () => Promise<boolean>, what: string, ms = 45000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const rows = async (where = 'true') =>
  (await ds.query(`SELECT * FROM ${SCHEMA}.outbox WHERE ${where} ORDER BY seq`)) as Record<string, any>[];

async function jobIds(queue: string): Promise<string[]> {
  const q = new Queue(queue, { connection: bullConnectionOptions(config.redisUrl), prefix });
  try {
    const jobs = await q.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized']);
    return jobs.map((j) => j.id!).sort();
  } finally {
    await q.close();
  }
}

/**
 * Forgets everything this test run put in Redis, as a restarted Redis without persistence
 * would: at once. (Deleting batch by batch while the relay already rebuilds would delete part
 * of what it re-sent after it planted its sentinel again — a loss no real Redis has.)
 */
async function loseRedisData(): Promise<void> {
  const all: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.namespace}:*`, 'COUNT', 1000);
    cursor = next;
    all.push(...keys);
  } while (cursor !== '0');
  if (all.length) await redis.unlink(...all);
}

beforeAll(async () => {
  await ensureDatabase(config.databaseUrl);
  ds = new DataSource({
    type: 'postgres',
    url: config.databaseUrl,
    schema: SCHEMA,
    entities: [OutboxEntity],
    namingStrategy: new SnakeNamingStrategy(),
  });
  await ds.initialize();
  await ds.query(`CREATE SCHEMA ${SCHEMA}`);
  for (const sql of [...outboxTableSql(SCHEMA), ...outboxFanoutSql(SCHEMA)]) await ds.query(sql);
  redis = createRedis(config.redisUrl);
});

afterAll(async () => {
  for (const r of relays) await r.stop();
  await loseRedisData().catch(() => undefined);
  redis?.disconnect();
  await ds?.destroy();
  await dropDatabase(config.databaseUrl);
});

describe('OutboxWriter', () => {
  it('refuses to write outside a transaction', async () => {
    await expect(writer.write(ds.manager, [{ queue: 'q-a', name: 'x', payload: {} }])).rejects.toThrow(/inside the business transaction/);
  });

  it('refuses queue names and job ids BullMQ would refuse', async () => {
    await expect(ds.transaction((m) => writer.write(m, [{ queue: 'fab:1', name: 'x', payload: {} }]))).rejects.toThrow(/':'/);
    await expect(ds.transaction((m) => writer.write(m, [{ queue: 'q-a', name: 'x', payload: {}, jobId: 'a:b' }]))).rejects.toThrow(/':'/);
  });

  it('commits with the business transaction, or not at all', async () => {
    await expect(
      ds.transaction(async (m) => {
        await writer.write(m, [{ queue: 'q-rollback', name: 'x', payload: { n: 1 } }]);
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await rows(`queue = 'q-rollback'`)).toHaveLength(0);

    const ids = await ds.transaction((m) => writer.write(m, [{ queue: 'q-commit', name: 'x', payload: { n: 1 } }]));
    expect(await rows(`queue = 'q-commit'`)).toEqual([expect.objectContaining({ id: ids[0], job_id: ids[0], sent_at: null })]);
  });

  it('withdraws an unsent message in the transaction that made it moot; a sent one is left to discard', async () => {
    await ds.transaction((m) => writer.write(m, [{ queue: 'q-withdraw', name: 'x', payload: {}, jobId: 'w-1' }]));
    expect(await ds.transaction((m) => writer.withdraw(m, [{ queue: 'q-withdraw', jobId: 'w-1' }, { queue: 'q-withdraw', jobId: 'nope' }]))).toBe(1);
    expect(await rows(`queue = 'q-withdraw'`)).toEqual([expect.objectContaining({ sends: 0, sent_at: expect.any(Date), done_at: expect.any(Date) })]);
    const r = relay();
    await r.start();
    await r.flush();
    expect(await jobIds('q-withdraw')).toEqual([]);
    // Sent already: withdrawing does nothing, discarding removes the entry.
    await ds.transaction((m) => writer.write(m, [{ queue: 'q-withdraw', name: 'x', payload: {}, jobId: 'w-2' }]));
    await r.flush();
    expect(await ds.transaction((m) => writer.withdraw(m, [{ queue: 'q-withdraw', jobId: 'w-2' }]))).toBe(0);
    expect(await jobIds('q-withdraw')).toEqual(['w-2']);
    await r.discard([{ queue: 'q-withdraw', jobId: 'w-2' }]);
    expect(await jobIds('q-withdraw')).toEqual([]);
    await until(async () => (await rows(`job_id = 'w-2' AND done_at IS NOT NULL`)).length === 1, 'swept as done');
    await r.stop();
  });

  it('ignores a second message with the same queue and job id (the first stands)', async () => {
    await ds.transaction((m) => writer.write(m, [{ queue: 'q-dup', name: 'x', payload: { v: 1 }, jobId: 'job-1' }]));
    await ds.transaction((m) => writer.write(m, [{ queue: 'q-dup', name: 'x', payload: { v: 2 }, jobId: 'job-1' }]));
    expect((await rows(`queue = 'q-dup'`)).map((r) => r.payload)).toEqual([{ v: 1 }]);
  });
});

describe('OutboxRelay', () => {
  it('stopped between the commit and the enqueue, then restarted: enqueued once', async () => {
    const first = relay();
    await first.start();
    await first.stop(); // the relay is down when the business transaction commits
    const [id] = await ds.transaction((m) => writer.write(m, [{ queue: 'q-restart', name: 'x', payload: { a: 1 } }]));
    expect(await jobIds('q-restart')).toEqual([]);

    const second = relay();
    await second.start();
    await until(async () => (await rows(`id = '${id}' AND sent_at IS NOT NULL`)).length === 1, 'sent');
    await second.stop();
    const third = relay();
    await third.start();
    await third.flush();
    await third.stop();
    expect(await jobIds('q-restart')).toEqual([id]);
    expect((await rows(`id = '${id}'`))[0]!.sends).toBe(1);
  });

  it('crashing after BullMQ took the batch but before marking it sent: the re-send is deduplicated', async () => {
    let crashes = 1;
    const r = relay({
      afterEnqueue: () => {
        if (crashes-- > 0) throw new Error('process died here');
      },
    });
    const ids = await ds.transaction((m) =>
      writer.write(m, [1, 2, 3].map((n) => ({ queue: 'q-crash', name: 'x', payload: { n } }))),
    );
    await r.start();
    await until(async () => (await rows(`queue = 'q-crash' AND sent_at IS NOT NULL`)).length === 3, 'sent after retry');
    expect(await jobIds('q-crash')).toEqual([...ids].sort());
    expect(r.stats.errors).toBeGreaterThanOrEqual(1);

    let processed = 0;
    const worker = new Worker('q-crash', async () => void processed++, { connection: bullConnectionOptions(config.redisUrl), prefix });
    await until(async () => processed >= 3, 'processed');
    await new Promise((res) => setTimeout(res, 200));
    await worker.close();
    expect(processed).toBe(3);
    await r.stop();
  });

  it('wakes on NOTIFY and shares 2,000 rows between two relays without doubling any', async () => {
    const a = relay({ pollMs: 60_000, batchSize: 100 });
    const b = relay({ pollMs: 60_000, batchSize: 100 });
    await a.start();
    await b.start();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push(
        ...(await ds.transaction((m) =>
          writer.write(m, Array.from({ length: 100 }, (_, n) => ({ queue: n % 2 ? 'q-many-1' : 'q-many-2', name: 'x', payload: { i, n } }))),
        )),
      );
    }
    // Polling is a minute away: only the NOTIFY can have woken them.
    await until(async () => (await rows(`queue LIKE 'q-many-%' AND sent_at IS NULL`)).length === 0, 'all sent', 20000);
    const sent = await rows(`queue LIKE 'q-many-%'`);
    expect(sent.every((r) => r.sends === 1)).toBe(true);
    const inRedis = [...(await jobIds('q-many-1')), ...(await jobIds('q-many-2'))];
    expect(inRedis.sort()).toEqual([...ids].sort());
    expect(a.stats.sent + b.stats.sent).toBe(2000);
    await a.stop();
    await b.stop();
  });

  it('delays a job by delayMs counted from the commit', async () => {
    const r = relay();
    await r.start();
    const [id] = await ds.transaction((m) => writer.write(m, [{ queue: 'q-delay', name: 'x', payload: {}, delayMs: 60_000 }]));
    await r.flush();
    const q = new Queue('q-delay', { connection: bullConnectionOptions(config.redisUrl), prefix });
    const job = await q.getJob(id!);
    expect(await job!.getState()).toBe('delayed');
    expect(job!.opts.delay).toBeGreaterThan(55_000);
    await q.close();
    await r.stop();
  });

  it('marks done what the consumer finished, and after Redis lost everything re-sends only what was not done', async () => {
    const r = relay();
    await r.start();
    const finished = await ds.transaction((m) =>
      writer.write(m, [1, 2, 3].map((n) => ({ queue: 'q-loss', name: 'x', payload: { n } }))),
    );
    const seen: string[] = [];
    const worker = new Worker('q-loss', async (job) => void seen.push(job.id!), {
      connection: bullConnectionOptions(config.redisUrl),
      prefix,
    });
    await until(async () => (await rows(`id = ANY('{${finished.join(',')}}') AND done_at IS NOT NULL`)).length === 3, 'done marks');
    await worker.close();

    // Pending work: sent to BullMQ but nobody has taken it yet.
    const pending = await ds.transaction((m) =>
      writer.write(m, [4, 5].map((n) => ({ queue: 'q-loss', name: 'x', payload: { n } }))),
    );
    await until(async () => (await rows(`id = ANY('{${pending.join(',')}}') AND sent_at IS NOT NULL`)).length === 2, 'pending sent');

    const reconciles = r.stats.reconciles;
    await loseRedisData();
    await until(async () => r.stats.reconciles > reconciles, 'reconcile after the loss');
    await until(async () => (await jobIds('q-loss')).length === 2, 'pending re-sent');
    expect(await jobIds('q-loss')).toEqual([...pending].sort());
    const after = await rows(`queue = 'q-loss'`);
    expect(after.filter((x) => x.sends === 2).map((x) => x.id).sort()).toEqual([...pending].sort());
    expect(after.filter((x) => x.sends === 1).map((x) => x.id).sort()).toEqual([...finished].sort());
    await r.stop();
  });
});

describe('fan-out rows (one row, a BullMQ job per entry)', () => {
  const entries = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ jobId: `${prefix}-${i}`, payload: { i } }));

  it('refuses a fan-out without entries, or with an entry BullMQ would refuse', async () => {
    await expect(ds.transaction((m) => writer.write(m, [{ queue: 'q-fan', name: 'x', payload: {}, entries: [] }]))).rejects.toThrow(/at least one entry/);
    await expect(
      ds.transaction((m) => writer.write(m, [{ queue: 'q-fan', name: 'x', payload: {}, entries: [{ jobId: 'a:b', payload: {} }] }])),
    ).rejects.toThrow(/':'/);
    await expect(
      ds.transaction((m) => writer.write(m, [{ queue: 'q-fan', name: 'x', payload: {}, entries: [{ jobId: 'a', payload: [] as unknown as object }] }])),
    ).rejects.toThrow(/plain object/);
    expect(await rows(`queue = 'q-fan'`)).toEqual([]);
  });

  it('sends each entry under its own job id with its own payload, once, even when the relay dies before the sent mark', async () => {
    let crashes = 1;
    const r = relay({
      afterEnqueue: () => {
        if (crashes-- > 0) throw new Error('process died here');
      },
    });
    await ds.transaction((m) => writer.write(m, [{ queue: 'q-fan-send', name: 'job', payload: { jobs: 3 }, jobId: 'fan-1', entries: entries('f', 3) }]));
    await r.start();
    await until(async () => (await rows(`queue = 'q-fan-send' AND sent_at IS NOT NULL`)).length === 1, 'sent after the crash');
    expect(await jobIds('q-fan-send')).toEqual(['f-0', 'f-1', 'f-2']);
    expect(r.stats.sent).toBe(3);

    const seen: { id: string; data: unknown }[] = [];
    const worker = new Worker('q-fan-send', async (job) => void seen.push({ id: job.id!, data: job.data }), {
      connection: bullConnectionOptions(config.redisUrl),
      prefix,
    });
    await until(async () => seen.length >= 3, 'processed');
    await new Promise((res) => setTimeout(res, 200));
    await worker.close();
    expect(seen).toEqual([
      { id: 'f-0', data: { i: 0 } },
      { id: 'f-1', data: { i: 1 } },
      { id: 'f-2', data: { i: 2 } },
    ]);
    // Done once every one of its jobs is.
    await until(async () => (await rows(`job_id = 'fan-1' AND done_at IS NOT NULL`)).length === 1, 'swept as done');
    await r.stop();
  });

  it('withdraws entries of an unsent row; a row left with none is done unsent; a sent row is left to discard', async () => {
    await ds.transaction((m) => writer.write(m, [{ queue: 'q-fan-w', name: 'job', payload: {}, jobId: 'fan-w1', entries: entries('w', 3) }]));
    await ds.transaction((m) => writer.write(m, [{ queue: 'q-fan-w', name: 'job', payload: {}, jobId: 'fan-w2', entries: entries('v', 1) }]));
    const withdrawn = await ds.transaction((m) =>
      writer.withdraw(m, [
        { queue: 'q-fan-w', jobId: 'w-1' },
        { queue: 'q-fan-w', jobId: 'v-0' },
        { queue: 'other-queue', jobId: 'w-2' }, // same job id, another queue: not this one
      ]),
    );
    expect(withdrawn).toBe(2);
    const [w1, w2] = await rows(`queue = 'q-fan-w'`);
    expect(w1!.entries.map((e: { jobId: string }) => e.jobId)).toEqual(['w-0', 'w-2']);
    expect(w1!.sent_at).toBeNull();
    expect(w2).toEqual(expect.objectContaining({ entries: [], sends: 0, sent_at: expect.any(Date), done_at: expect.any(Date) }));

    const r = relay();
    await r.start();
    await r.flush();
    expect(await jobIds('q-fan-w')).toEqual(['w-0', 'w-2']);
    expect(await ds.transaction((m) => writer.withdraw(m, [{ queue: 'q-fan-w', jobId: 'w-0' }]))).toBe(0);
    expect((await rows(`job_id = 'fan-w1'`))[0]!.entries).toHaveLength(2);
    await r.stop();
  });

  it('two transactions withdrawing from one row at once: both entries come out (no lost update)', async () => {
    await ds.transaction((m) => writer.write(m, [{ queue: 'q-fan-c', name: 'job', payload: {}, jobId: 'fan-c', entries: entries('c', 4) }]));
    let release!: () => void;
    const held = new Promise<void>((res) => (release = res));
    let locked!: () => void;
    const isLocked = new Promise<void>((res) => (locked = res));
    const first = ds.transaction(async (m) => {
      const n = await writer.withdraw(m, [{ queue: 'q-fan-c', jobId: 'c-1' }]);
      locked();
      await held; // keeps the row lock while the second one starts
      return n;
    });
    await isLocked;
    const second = ds.transaction((m) => writer.withdraw(m, [{ queue: 'q-fan-c', jobId: 'c-2' }]));
    await new Promise((res) => setTimeout(res, 200));
    release();
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    expect((await rows(`job_id = 'fan-c'`))[0]!.entries.map((e: { jobId: string }) => e.jobId)).toEqual(['c-0', 'c-3']);
  });

  it('is done only when all its jobs are; after Redis lost everything it is sent again whole', async () => {
    const r = relay();
    await r.start();
    await ds.transaction((m) => writer.write(m, [{ queue: 'q-fan-loss', name: 'job', payload: {}, jobId: 'fan-l', entries: entries('l', 3) }]));
    await r.flush();
    // One of its three jobs finishes; the row is not done while two wait.
    const q = new Queue('q-fan-loss', { connection: bullConnectionOptions(config.redisUrl), prefix });
    const job = await q.getJob('l-1');
    await job!.remove();
    await new Promise((res) => setTimeout(res, 400)); // several sweeps (every 100 ms here)
    expect((await rows(`job_id = 'fan-l'`))[0]!.done_at).toBeNull();

    const reconciles = r.stats.reconciles;
    await loseRedisData();
    await until(async () => r.stats.reconciles > reconciles, 'reconcile after the loss');
    await until(async () => (await jobIds('q-fan-loss')).length === 3, 're-sent');
    expect(await jobIds('q-fan-loss')).toEqual(['l-0', 'l-1', 'l-2']);
    expect((await rows(`job_id = 'fan-l'`))[0]!.sends).toBe(2);

    const seen: string[] = [];
    const worker = new Worker('q-fan-loss', async (j) => void seen.push(j.id!), { connection: bullConnectionOptions(config.redisUrl), prefix });
    await until(async () => (await rows(`job_id = 'fan-l' AND done_at IS NOT NULL`)).length === 1, 'done once all three finished');
    await worker.close();
    expect(seen.sort()).toEqual(['l-0', 'l-1', 'l-2']);
    await q.close();
    await r.stop();
  });
  it('after a Redis loss, rows standing for more jobs than one Redis pipeline takes are all checked and re-sent', async () => {
    const r = relay();
    await r.start();
    await ds.transaction((m) =>
      writer.write(m, [0, 1, 2].map((k) => ({ queue: 'q-fan-big', name: 'job', payload: {}, jobId: `fan-big-${k}`, entries: entries(`b${k}`, 2500) }))),
    );
    await r.flush();
    expect(await jobIds('q-fan-big')).toHaveLength(7500);
    const reconciles = r.stats.reconciles;
    await loseRedisData();
    await until(async () => r.stats.reconciles > reconciles, 'reconcile after the loss');
    await until(async () => (await jobIds('q-fan-big')).length === 7500, 're-sent');
    expect((await rows(`queue = 'q-fan-big'`)).map((x) => x.sends)).toEqual([2, 2, 2]);
    await r.stop();
  });
});
