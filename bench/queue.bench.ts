import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type JobsOptions, Queue, Worker } from 'bullmq';
import { Pipeline, Redis } from 'ioredis';
import pg from 'pg';
import { DEFAULT_JOB_OPTIONS } from '#libs/contracts/src/index.js';
import type { PlacedReservation } from '#libs/contracts/src/fabrication/messages.js';
import type { PlanStep, ProductionPlan } from '#libs/contracts/src/production/views.js';
import { type JobStateChanges, PRODUCTION_EVENTS } from '#libs/contracts/src/production/patterns.js';
import { dropDatabase } from '#libs/database/src/index.js';
import { bullConnectionOptions, bullPrefix, createRedis, OutboxRelay } from '#libs/outbox/src/index.js';
import { testConfig } from '#libs/testing/src/test-config.js';
import { ConnectorPool } from '#apps/production/src/connectors/connector-pool.js';
import { ProductionService } from '#apps/production/src/production.service.js';
import { jobIdFor } from '#apps/production/src/requests/usecases/fund-request/fund-request.usecase.js';
import { SYSTEM_ACTOR } from '#apps/production/src/shared/actor-columns.js';
import { startSystem } from '../src/system.js';

export interface QueueBenchOptions {
  /** Jobs in each half of the run. */
  jobs?: number;
  /** Fab units the pipeline's jobs are spread over (one queue and one Worker each). */
  units?: number;
  /** Worker concurrency per unit queue in the pipeline. */
  concurrencyPerUnit?: number;
  /** Concurrency of the one Worker of the raw run. */
  rawConcurrency?: number;
  /** Requests funded per transaction (a round's decisions arrive together). */
  fundBatch?: number;
  /**
   * 0 (default): the automated connectors run inside the production service's process, as
   * `npm start` runs them. n: n connector processes (connectors/connector.main.ts, sharded),
   * the scaled-out deployment; the production process then only relays.
   */
  connectorProcesses?: number;
  log?: (line: string) => void;
  /**
   * Where the time goes: a timeline of the pipeline's phases (funding, relay, connector steps,
   * completions), SQL statements and transactions per job, Redis commands per job, and the CPU
   * time of this process, PostgreSQL and Redis. Costs a little itself (counting wrappers).
   */
  trace?: boolean;
  /**
   * Rounds of (raw, pipeline), back to back; the figures are the medians (default 5). This
   * machine's speed drifts by a quarter from one second to the next (other tenants of the
   * host), and a 1.5 s raw half alone can land on a fast or a slow stretch: single rounds of
   * one afternoon gave ratios from 0.20 to 0.38, so three rounds were too few for a median.
   */
  rounds?: number;
}

export interface QueueBenchResult {
  rawJobsPerSec: number;
  pipelineJobsPerSec: number;
  ratio: number;
  lost: number;
  doubled: number;
  jobs: number;
  rawMs: number;
  pipelineMs: number;
  units: number;
  /** Each round's figures; the headline ones are the medians over the rounds. */
  rounds?: { rawJobsPerSec: number; pipelineJobsPerSec: number; ratio: number }[];
}

/**
 * Raw BullMQ against the whole production pipeline, on the same Redis, in one run: three
 * rounds of the two halves back to back, reported as the medians (and each round's figures).
 *
 * (a) raw: addBulk N no-op jobs (the house job options) and work them with one Worker.
 * (b) pipeline: N funded requests of an allocation round become jobs in bulk (jobs, their
 *     transitions and outbox rows, 1,000 requests per transaction, as the round's decisions
 *     arrive together), the outbox relay hands them to the fab units' queues, automated
 *     connectors work them: accept, start, complete, each with its transition records, the
 *     provenance record, the build report and the reservation consumption through the
 *     outbox (relayed too), and the requests fulfilled. Timed from the first funding write to
 *     the last job completed and the outbox empty.
 * Reservations are given (placing them is fabrication's work, measured by its own bench).
 * Counts: every job completed once; none lost, none doubled.
 *
 * `--trace` (or `trace: true`) prints where the pipeline's time goes: a 100 ms timeline of the
 * relay, the connector's transactions and the completions, SQL statements and commits, Redis
 * commands, the CPU of this process, of PostgreSQL's backends for the bench's database and of
 * Redis, and the WAL written. `QUEUE_BENCH_SKIP_RAW=1` skips the raw half (profiling).
 */
export async function runQueueBench(options: QueueBenchOptions = {}): Promise<QueueBenchResult> {
  const runs: QueueBenchResult[] = [];
  const count = options.rounds ?? 5;
  for (let i = 0; i < count; i++) {
    const run = await runQueueRound(options);
    options.log?.(`round ${i + 1}: raw ${run.rawJobsPerSec} jobs/s, pipeline ${run.pipelineJobsPerSec} jobs/s, ratio ${run.ratio}`);
    runs.push(run);
  }
  const raw = median(runs.map((r) => r.rawJobsPerSec));
  const pipeline = median(runs.map((r) => r.pipelineJobsPerSec));
  return {
    rawJobsPerSec: raw,
    pipelineJobsPerSec: pipeline,
    ratio: Math.round((pipeline / raw) * 1000) / 1000,
    lost: runs.reduce((a, r) => a + r.lost, 0),
    doubled: runs.reduce((a, r) => a + r.doubled, 0),
    jobs: runs[0]!.jobs,
    rawMs: median(runs.map((r) => r.rawMs)),
    pipelineMs: median(runs.map((r) => r.pipelineMs)),
    units: runs[0]!.units,
    rounds: runs.map((r) => ({ rawJobsPerSec: r.rawJobsPerSec, pipelineJobsPerSec: r.pipelineJobsPerSec, ratio: r.ratio })),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : Math.round((s[s.length / 2 - 1]! + s[s.length / 2]!) / 2);
};

/** One raw half and one pipeline half, back to back. */
async function runQueueRound(options: QueueBenchOptions): Promise<QueueBenchResult> {
  const N = options.jobs ?? 10_000;
  const units = options.units ?? 8;
  const log = options.log ?? (() => undefined);
  const config = testConfig({ dbPoolSize: 20 });
  config.namespace = config.namespace.replace(/^test_/, 'bench_');
  const prefix = bullPrefix(config.namespace);

  // ---- (a) raw BullMQ ----------------------------------------------------------------------
  const skipRaw = process.env.QUEUE_BENCH_SKIP_RAW === '1'; // profiling the pipeline alone
  const rawQueue = new Queue('bench-raw', { connection: bullConnectionOptions(config.redisUrl), prefix });
  let rawDone = 0;
  let rawResolve!: () => void;
  const rawFinished = new Promise<void>((r) => (rawResolve = r));
  const t0 = performance.now();
  const worker = new Worker('bench-raw', async () => undefined, {
    connection: bullConnectionOptions(config.redisUrl),
    prefix,
    concurrency: options.rawConcurrency ?? 100,
  });
  worker.on('completed', () => {
    if (++rawDone === N) rawResolve();
  });
  if (skipRaw) rawResolve();
  for (let i = 0; !skipRaw && i < N; i += 1000) {
    await rawQueue.addBulk(
      Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({ name: 'noop', data: { n: i + k }, opts: DEFAULT_JOB_OPTIONS as unknown as JobsOptions })),
    );
  }
  await rawFinished;
  const rawMs = performance.now() - t0;
  await worker.close();
  await rawQueue.obliterate({ force: true }).catch(() => undefined);
  await rawQueue.close();
  log(`raw BullMQ: ${N} jobs in ${rawMs.toFixed(0)} ms`);

  // ---- (b) the pipeline ----------------------------------------------------------------------
  process.env.PRODUCTION_CONNECTOR_BATCH ??= '250';
  const processes = options.connectorProcesses ?? 0;
  if (processes > 0) process.env.PRODUCTION_CONNECTORS = 'off';
  const children: ChildProcess[] = [];
  const system = await startSystem(config, { services: ['production'], port: 0 });
  const db = new pg.Pool({ connectionString: config.databaseUrl, max: 2, application_name: 'queue-bench' });
  db.on('error', () => undefined); // the database is dropped at the end, with FORCE
  try {
    const app = system.backends.production!;
    const production = app.get(ProductionService);
    const pool = app.get(ConnectorPool);
    const relay = app.get(OutboxRelay);

    const unitIds = Array.from({ length: units }, () => randomUUID());
    const designVersionId = randomUUID();
    const roundId = randomUUID();
    const requests = Array.from({ length: N }, (_, i) => ({ id: randomUUID(), unit: unitIds[i % units]! }));
    await seedRequests(db, requests, designVersionId, roundId);
    for (const fabUnitId of unitIds) await pool.automate({ fabUnitId, concurrency: options.concurrencyPerUnit ?? 64, workMs: 0 });
    await pool.ready();
    for (let i = 0; i < processes; i++) {
      children.push(
        await startConnector({
          DATABASE_URL: config.databaseUrl,
          REDIS_URL: config.redisUrl,
          COSMOLOCAL_NAMESPACE: config.namespace,
          SHARD: `${i}/${processes}`,
          DB_POOL_SIZE: '20',
        }),
      );
    }
    log(`pipeline: ${N} requests in allocation over ${units} automated units`);

    const completed = async () => Number((await db.query(`SELECT count(*) AS n FROM production.jobs WHERE state = 'completed'`)).rows[0].n);
    // Completions are counted from production's state-change events (no polling load on
    // PostgreSQL during the run); the database is asked now and then, and has the last word.
    let seen = 0;
    const subscriber = createRedis(config.redisUrl);
    await subscriber.subscribe(`${config.namespace}:${PRODUCTION_EVENTS.jobStateChanged}`);
    subscriber.on('message', (_channel: string, message: string) => {
      const changes = (JSON.parse(message) as { data?: JobStateChanges }).data?.changes ?? [];
      for (const c of changes) if (c.to === 'completed') seen++;
    });
    // The round's decisions as fabrication's placements hand them over, made before the clock
    // starts: building them is the harness's work, not the pipeline's.
    const fundBatch = options.fundBatch ?? 1000;
    const rounds = Array.from({ length: Math.ceil(N / fundBatch) }, (_, b) =>
      requests.slice(b * fundBatch, (b + 1) * fundBatch).map((r) => {
        const jobId = jobIdFor(r.id, 0, 0);
        return { requestId: r.id, placed: [{ step: stepAt(r.unit), jobId, reservation: reservation(jobId, r.unit) }] };
      }),
    );
    const trace = options.trace
      ? await startTrace(log, db, () => ({ relaySent: relay.stats.sent, relayBatches: relay.stats.batches, batcher: { ...pool.batcher.stats }, seen }))
      : null;
    const started = performance.now();
    for (const items of rounds) {
      await production.fund.writeFunded(items, { kind: 'allocation', roundId, reason: 'funded by the benchmark round' }, SYSTEM_ACTOR);
    }
    trace?.mark('funded');
    const deadline = Date.now() + Math.max(120_000, N * 20);
    for (let polls = 0; Date.now() < deadline; polls++) {
      if (seen >= N && (await completed()) >= N) break;
      if (polls % 40 === 39 && (await completed()) >= N) break; // an event may be lost; the rows are not
      await sleep(10);
    }
    while ((await relay.unsentCount()) > 0 && Date.now() < deadline) await sleep(10);
    const pipelineMs = performance.now() - started;
    await trace?.stop(N);
    subscriber.disconnect();
    log(`pipeline: ${N} jobs in ${pipelineMs.toFixed(0)} ms`);
    const b = pool.batcher.stats;
    if (b.batches) log(`pipeline: ${b.batches} connector transactions, ${(b.jobs / b.batches).toFixed(0)} jobs each, ${(b.ms / b.batches).toFixed(0)} ms each; relay ${relay.stats.batches} batches`);

    const counts = (
      await db.query(`
        SELECT
          (SELECT count(*) FROM production.jobs WHERE state = 'completed')::int AS completed,
          (SELECT count(*) FROM production.jobs)::int AS jobs,
          (SELECT count(*) FROM production.job_transitions WHERE to_state = 'completed')::int AS completions,
          (SELECT count(*) FROM production.provenance)::int AS provenance,
          (SELECT count(*) FROM production.requests WHERE state = 'fulfilled')::int AS fulfilled,
          (SELECT coalesce(sum(jsonb_array_length(payload->'reports')), 0) FROM production.outbox WHERE queue = 'commons-build-reports')::int AS reports,
          (SELECT count(*) FROM production.outbox WHERE queue LIKE 'fab-%')::int AS queued,
          (SELECT coalesce(sum(sends), 0) FROM production.outbox WHERE queue LIKE 'fab-%')::int AS sends`)
    ).rows[0] as Record<string, number>;
    const lost = N - counts.completed!;
    const doubled =
      Math.max(0, counts.jobs! - N) +
      Math.max(0, counts.completions! - counts.completed!) +
      Math.max(0, counts.provenance! - counts.completed!) +
      Math.max(0, counts.reports! - counts.completed!) +
      Math.max(0, counts.sends! - counts.queued!);
    if (counts.fulfilled !== counts.completed) log(`pipeline: ${counts.fulfilled} requests fulfilled for ${counts.completed} jobs`);

    const rawJobsPerSec = N / (rawMs / 1000);
    const pipelineJobsPerSec = N / (pipelineMs / 1000);
    return {
      rawJobsPerSec: Math.round(rawJobsPerSec),
      pipelineJobsPerSec: Math.round(pipelineJobsPerSec),
      ratio: Math.round((pipelineJobsPerSec / rawJobsPerSec) * 1000) / 1000,
      lost,
      doubled,
      jobs: N,
      rawMs: Math.round(rawMs),
      pipelineMs: Math.round(pipelineMs),
      units,
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await system.close().catch(() => undefined);
    await db.end().catch(() => undefined);
    await dropDatabase(config.databaseUrl).catch(() => undefined);
    await forgetNamespace(config.redisUrl, config.namespace);
  }
}

function stepAt(fabUnitId: string): PlanStep {
  return {
    stepIndex: 0,
    fabUnitId,
    fabUnitName: `Bench unit ${fabUnitId.slice(0, 8)}`,
    machineId: fabUnitId,
    process: '3d-printing.fdm',
    machineProcess: '3d-printing.fdm',
    material: 'pla',
    minutes: 30,
    materialQuantity: 25,
    materialUnit: 'g',
    start: new Date().toISOString(),
    completion: new Date(Date.now() + 1800_000).toISOString(),
  };
}

function reservation(jobId: string, fabUnitId: string): PlacedReservation {
  const start = new Date();
  const end = new Date(start.getTime() + 1800_000);
  return {
    key: jobId,
    reservationIds: [randomUUID()],
    fabUnitId,
    machineId: fabUnitId,
    slots: [{ start: start.toISOString(), end: end.toISOString() }],
    completion: end.toISOString(),
    materialHoldId: randomUUID(),
  };
}

/** N requests as a closing round finds them: matched, in allocation, each a one-step plan at one unit. */
async function seedRequests(db: pg.Pool, requests: { id: string; unit: string }[], designVersionId: string, roundId: string): Promise<void> {
  const design = {
    designVersionId,
    designId: randomUUID(),
    slug: 'bench-part',
    version: '1.0.0',
    title: 'Bench part',
    contentHash: 'sha256:bench',
    license: 'CERN-OHL-P-2.0',
    attribution: [{ name: 'Bench Designer' }],
    requirements: [{ process: '3d-printing.fdm', material: 'pla', machineMinutesPerUnit: 30, materialQuantityPerUnit: 25, materialUnit: 'g' }],
  };
  for (let i = 0; i < requests.length; i += 2000) {
    const chunk = requests.slice(i, i + 2000);
    const plans = chunk.map((r): ProductionPlan => {
      const step = stepAt(r.unit);
      return { kind: 'candidate', fabUnitIds: [r.unit], completion: step.completion, steps: [step], cost: { machineMinutes: { '3d-printing.fdm': 30 }, materials: { pla: { quantity: 25, unit: 'g' } } } };
    });
    await db.query(
      `INSERT INTO production.requests (id, requester_id, idempotency_key, body_hash, design_version_id, title, design, quantity, lat, lon,
                                        need_by, purpose, mode, state, round_id, plan, cost_vector)
       SELECT id, $2, id::text, repeat('0', 64), $3, 'Bench part', $4, 1, 50, 10, now() + interval '30 days', 'benchmark', 'pooled',
              'in_allocation', $5, plan, plan->'cost'
       FROM unnest($1::uuid[], $6::jsonb[]) AS x(id, plan)`,
      [chunk.map((r) => r.id), randomUUID(), designVersionId, JSON.stringify(design), roundId, plans.map((p) => JSON.stringify(p))],
    );
  }
}

async function forgetNamespace(redisUrl: string, namespace: string): Promise<void> {
  const redis = createRedis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A connector process (dist/apps/production/src/connectors/connector.main.js), once it listens. */
function startConnector(env: Record<string, string>): Promise<ChildProcess> {
  const main = fileURLToPath(new URL('../apps/production/src/connectors/connector.main.js', import.meta.url));
  const child = spawn(process.execPath, [main], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('connector ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`connector exited with ${code}: ${out}`)));
  });
}

interface TraceSample {
  relaySent: number;
  relayBatches: number;
  batcher: { batches: number; jobs: number; ms: number; splits: number };
  seen: number;
}

/** Counting wrappers on pg and ioredis, a 100 ms timeline, CPU of this process, PostgreSQL and Redis, WAL. */
async function startTrace(log: (line: string) => void, db: pg.Pool, sample: () => TraceSample) {
  const { rows: at } = await db.query<{ database: string; lsn: string }>(`SELECT current_database() AS database, pg_current_wal_lsn()::text AS lsn`);
  const { database, lsn: wal0 } = at[0]!;
  const sql = new Map<string, number>();
  const sqlMs = new Map<string, number>();
  const redis = new Map<string, number>();
  let pipelined = 0;
  let pipelines = 0;
  const pgProto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const pgQuery = pgProto.query;
  pgProto.query = function (this: unknown, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '?');
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    sql.set(key, (sql.get(key) ?? 0) + 1);
    const t = performance.now();
    const result = pgQuery.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      void (result as Promise<unknown>).then(
        () => sqlMs.set(key, (sqlMs.get(key) ?? 0) + performance.now() - t),
        () => undefined,
      );
    }
    return result;
  };
  // Commands written with a stream argument belong to a pipeline (or MULTI): one write for all.
  const redisProto = Redis.prototype as unknown as { sendCommand: (command: { name: string }, stream?: unknown, ...rest: unknown[]) => unknown };
  const sendCommand = redisProto.sendCommand;
  redisProto.sendCommand = function (this: unknown, command: { name: string }, stream?: unknown, ...rest: unknown[]) {
    redis.set(command.name, (redis.get(command.name) ?? 0) + 1);
    if (stream) pipelined++;
    return sendCommand.call(this, command, stream, ...rest);
  };
  const pipelineProto = Pipeline.prototype as unknown as { exec: (...a: unknown[]) => unknown };
  const exec = pipelineProto.exec;
  pipelineProto.exec = function (this: unknown, ...a: unknown[]) {
    pipelines++;
    return exec.apply(this, a);
  };
  const cpuOfPid = (pid: number) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + Number(f[12])) * 10;
    } catch {
      return 0;
    }
  };
  /** CPU ms of the processes whose command line has `match` (backends show their database's name). */
  const cpuOf = (match: string) => {
    let ticks = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(match)) continue;
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(f[11]) + Number(f[12]);
      } catch {
        /* gone */
      }
    }
    return ticks * 10; // ms at 100 Hz
  };
  const pids = new Map<number, number>();
  for (const pid of readdirSync('/proc')) if (/^\d+$/.test(pid)) pids.set(Number(pid), cpuOfPid(Number(pid)));
  const cpu0 = { pids, node: process.cpuUsage(), postgres: cpuOf(` ${database} `), walwriter: cpuOf('walwriter'), redis: cpuOf('redis-server') };
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  const marks: string[] = [];
  const timeline: string[] = [];
  let last = sample();
  const timer = setInterval(() => {
    const now = sample();
    const b = now.batcher;
    timeline.push(
      `${(performance.now() - t0).toFixed(0).padStart(6)} ms  relay sent ${String(now.relaySent).padStart(6)} (+${now.relaySent - last.relaySent})  connector jobs ${String(b.jobs).padStart(6)} (+${b.jobs - last.batcher.jobs}, ${b.batches - last.batcher.batches} tx)  completed ${String(now.seen).padStart(6)} (+${now.seen - last.seen})`,
    );
    last = now;
  }, 100);
  return {
    mark(name: string) {
      marks.push(`${name} at ${(performance.now() - t0).toFixed(0)} ms`);
      timeline.push(`${(performance.now() - t0).toFixed(0).padStart(6)} ms  -- ${name}`);
    },
    async stop(jobs: number) {
      clearInterval(timer);
      pgProto.query = pgQuery;
      redisProto.sendCommand = sendCommand;
      pipelineProto.exec = exec;
      const node = process.cpuUsage(cpu0.node);
      loopDelay.disable();
      const elu = performance.eventLoopUtilization(elu0);
      log(
        `trace event loop: utilization ${(elu.utilization * 100).toFixed(0)}%, delay p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`,
      );
      const wall = performance.now() - t0;
      for (const line of timeline) log(`trace ${line}`);
      log(`trace ${marks.join(', ')}; end at ${wall.toFixed(0)} ms`);
      log(
        `trace CPU ms: node ${((node.user + node.system) / 1000).toFixed(0)} (system ${(node.system / 1000).toFixed(0)}), PostgreSQL backends of the bench's database ${cpuOf(` ${database} `) - cpu0.postgres}, its WAL writer ${cpuOf('walwriter') - cpu0.walwriter}, Redis ${cpuOf('redis-server') - cpu0.redis} (shared: other users count too) over ${wall.toFixed(0)} ms wall`,
      );
      const { rows: backends } = await db.query<{ pid: number; application_name: string }>(
        `SELECT pid, application_name FROM pg_stat_activity WHERE datname = current_database()`,
      );
      const byApp = new Map<string, number>();
      for (const b of backends) byApp.set(b.application_name, (byApp.get(b.application_name) ?? 0) + (cpuOfPid(b.pid) - (cpu0.pids.get(b.pid) ?? 0)));
      log(`trace PostgreSQL CPU ms by client: ${[...byApp].map(([k, v]) => `${k || '?'} ${v}`).join(', ')}`);
      const total = [...sql.values()].reduce((a, b) => a + b, 0);
      log(`trace SQL statements ${total} (${(total / jobs).toFixed(2)} per job), commits ${(sql.get('COMMIT') ?? 0)}:`);
      for (const [k, v] of [...sql].sort((a, b) => b[1] - a[1]).slice(0, 25)) log(`trace   ${String(v).padStart(6)} ${(sqlMs.get(k) ?? 0).toFixed(0).padStart(7)} ms  ${k}`);
      const rtotal = [...redis.values()].reduce((a, b) => a + b, 0);
      log(`trace Redis commands ${rtotal} (${(rtotal / jobs).toFixed(2)} per job), ${pipelined} of them in ${pipelines} pipelines/multis: ~${((rtotal - pipelined + pipelines) / jobs).toFixed(2)} round trips per job:`);
      for (const [k, v] of [...redis].sort((a, b) => b[1] - a[1]).slice(0, 20)) log(`trace   ${String(v).padStart(6)}  ${k}`);
      const { rows } = await db.query<{ bytes: string }>(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint AS bytes`, [wal0]);
      const wal = Number(rows[0]!.bytes);
      log(`trace WAL ${(wal / 1e6).toFixed(1)} MB, ${(wal / jobs / 1024).toFixed(1)} KiB per job (the whole server's: other users count too)`);
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  process.env.LOG_LEVEL ??= 'silent';
  runQueueBench({
    jobs: arg('jobs'),
    units: arg('units'),
    concurrencyPerUnit: arg('concurrency'),
    rawConcurrency: arg('raw-concurrency'),
    fundBatch: arg('fund-batch'),
    connectorProcesses: arg('connector-processes'),
    rounds: arg('rounds'),
    trace: process.argv.includes('--trace'),
    log: (line) => console.error(`queue bench: ${line}`),
  }).then(
    (result) => {
      console.log(JSON.stringify(result, null, 2));
      process.exit(result.lost === 0 && result.doubled === 0 ? 0 : 1);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
