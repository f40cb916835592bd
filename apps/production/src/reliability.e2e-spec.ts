import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Queue } from 'bullmq';
import { QUEUES } from '#libs/contracts/src/index.js';
import { bullConnectionOptions, bullPrefix, OutboxRelay } from '#libs/outbox/src/index.js';
import { startTestSystem, type TestSystem } from '../../../test/support/test-system.js';
import { ConnectorPool } from './connectors/connector-pool.js';
import { addStubDesign, addStubUnit, type NeighbourState, newNeighbourState, startNeighbourStubs } from './testing/neighbour-stubs.js';
import { CONNECTOR_MAIN, ensureConnectorBuilt, type Spawned, spawnUntil } from './testing/processes.js';

jest.setTimeout(180_000);

/**
 * Production's promises under failure, against real PostgreSQL and Redis (and real processes):
 * nothing lost, nothing done twice. Redis losing everything is in redis-restart.e2e-spec.ts.
 */
describe('production reliability', () => {
  let t: TestSystem;
  let stubs: Awaited<ReturnType<typeof startNeighbourStubs>>;
  const state: NeighbourState = newNeighbourState();
  let requester: { token: string; accountId: string };
  let design: ReturnType<typeof addStubDesign>;
  const children: Spawned[] = [];
  const needBy = new Date(Date.now() + 30 * 86400_000).toISOString();

  const body = (fabUnitId: string) => ({
    designVersionId: design.designVersionId,
    quantity: 1,
    delivery: { lat: 48.2, lon: 16.37 },
    needBy,
    purpose: 'Spare parts for the bicycle workshop',
    mode: 'direct',
    fabUnitId,
  });
  const create = async (fabUnitId: string) => {
    const answer = await t.http.post('/production-requests', body(fabUnitId), { token: requester.token, headers: { 'idempotency-key': randomUUID() } });
    expect(answer.status).toBe(201);
    return answer.body as { id: string; jobs: { id: string }[] };
  };
  const rows = <T = Record<string, any>>(sql: string, params?: unknown[]) => t.sql<T>(sql, params);
  const jobState = async (id: string) => (await rows<{ state: string }>(`SELECT state FROM production.jobs WHERE id = $1`, [id]))[0]?.state;
  const until = async (check: () => Promise<boolean>, what: string, ms = 60_000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const fabQueue = (unit: string) => new Queue(QUEUES.fabUnit(unit), { connection: bullConnectionOptions(t.config.redisUrl), prefix: bullPrefix(t.config.namespace) });
  const connector = (unit: string, env: Record<string, string>) =>
    spawnUntil(
      process.execPath,
      [CONNECTOR_MAIN],
      {
        DATABASE_URL: t.config.databaseUrl,
        REDIS_URL: t.config.redisUrl,
        COSMOLOCAL_NAMESPACE: t.config.namespace,
        FAB_UNIT_IDS: unit,
        LOG_LEVEL: 'silent',
        ...env,
      },
      'connector ready',
    ).then((s) => {
      children.push(s);
      return s;
    });

  beforeAll(async () => {
    ensureConnectorBuilt();
    t = await startTestSystem({ services: ['gateway', 'production'] });
    stubs = await startNeighbourStubs(t.config, state);
    requester = await t.signUp('requester');
    design = addStubDesign(state);
  });

  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await stubs?.close();
    await t?.close();
  });

  it('200 concurrent POSTs with one Idempotency-Key make one request (one job, one reservation)', async () => {
    const unit = addStubUnit(state, { name: 'Idempotent lab' });
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 200 }, () =>
        t.http.post('/production-requests', body(unit.id), { token: requester.token, headers: { 'idempotency-key': key } }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(199);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const id = answers[0]!.body.id;
    expect(await rows(`SELECT id FROM production.requests WHERE idempotency_key = $1`, [key])).toHaveLength(1);
    expect(await rows(`SELECT id FROM production.jobs WHERE request_id = $1`, [id])).toHaveLength(1);
    expect(await rows(`SELECT id FROM production.request_transitions WHERE request_id = $1 AND to_state = 'funded'`, [id])).toHaveLength(1);
    expect([...state.reservations.values()].filter((r) => r.fabUnitId === unit.id)).toHaveLength(1);
  });

  it('the relay stopped between the commit and the enqueue, then restarted: the job is enqueued once and completes once', async () => {
    const unit = addStubUnit(state, { name: 'Relay lab' });
    const relay = t.system.backends.production!.get(OutboxRelay);
    await relay.stop();
    const r = await create(unit.id);
    const jobId = r.jobs[0]!.id;
    // Committed: the job and its outbox row are there; Redis knows nothing of it.
    expect(await rows(`SELECT sent_at FROM production.outbox WHERE job_id = $1`, [jobId])).toEqual([{ sent_at: null }]);
    const queue = fabQueue(unit.id);
    expect(await queue.getJob(jobId)).toBeUndefined();

    await relay.start();
    await until(async () => (await queue.getJob(jobId)) !== undefined, 'enqueued');
    await relay.stop();
    await relay.start(); // a second restart finds nothing to send
    await relay.flush();
    expect(await rows(`SELECT sends FROM production.outbox WHERE job_id = $1`, [jobId])).toEqual([{ sends: 1 }]);
    expect((await queue.getJobs(['waiting', 'active', 'completed', 'delayed'])).filter((j) => j.id === jobId)).toHaveLength(1);

    await t.system.backends.production!.get(ConnectorPool).automate({ fabUnitId: unit.id, concurrency: 5, workMs: 0 });
    await until(async () => (await jobState(jobId)) === 'completed', 'completed');
    await until(async () => (await queue.getJobState(jobId)) === 'completed', 'BullMQ completed');
    // The connector's three steps in one statement are one record (combined-steps.ts).
    expect(await rows(`SELECT action FROM production.job_transitions WHERE job_id = $1 ORDER BY id`, [jobId])).toEqual([
      { action: 'create' },
      { action: 'accept+start+complete' },
    ]);
    await t.system.backends.production!.get(ConnectorPool).release(unit.id);
    await queue.close();
  });

  it('a connector process killed with SIGKILL mid-job: the job is recovered as stalled and completes once', async () => {
    const unit = addStubUnit(state, { name: 'Crashing lab' });
    const stall = { LOCK_MS: '1500', STALLED_MS: '500', CONCURRENCY: '1' };
    const first = await connector(unit.id, { ...stall, WORK_MS: '120000' });
    const r = await create(unit.id);
    const jobId = r.jobs[0]!.id;
    // The machine is working: accepted and started in the database, the job active in BullMQ.
    await until(async () => (await jobState(jobId)) === 'in_progress', 'in progress');
    const queue = fabQueue(unit.id);
    expect(await queue.getJobState(jobId)).toBe('active');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await connector(unit.id, { ...stall, WORK_MS: '200' });
    await until(async () => (await jobState(jobId)) === 'completed', 'completed after the takeover');
    await until(async () => (await queue.getJobState(jobId)) === 'completed', 'BullMQ completed');
    const job = await queue.getJob(jobId);
    expect(job!.stalledCounter).toBeGreaterThanOrEqual(1);

    expect(await rows(`SELECT action, actor_kind FROM production.job_transitions WHERE job_id = $1 ORDER BY id`, [jobId])).toEqual([
      { action: 'create', actor_kind: 'person' }, // the requester funded it (direct)
      { action: 'accept+start', actor_kind: 'system' }, // the killed connector
      { action: 'complete', actor_kind: 'system' }, // the one that took the stalled job over
    ]);
    expect(await rows(`SELECT job_id FROM production.provenance WHERE job_id = $1`, [jobId])).toHaveLength(1);
    expect(await rows(`SELECT job_id FROM production.outbox, jsonb_array_elements(payload->'reports') r WHERE r->>'sourceJobId' = $1`, [jobId])).toHaveLength(1);
    expect(await rows(`SELECT job_id FROM production.outbox WHERE payload->'keys' @> to_jsonb(ARRAY[$1::text]) AND payload->>'outcome' = 'consume'`, [jobId])).toHaveLength(1);
    expect(await rows(`SELECT state FROM production.requests WHERE id = $1`, [r.id])).toEqual([{ state: 'fulfilled' }]);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0); // graceful
    await queue.close();
  });

  it('a job processed twice changes the database once (the database refuses a second completion)', async () => {
    const unit = addStubUnit(state, { name: 'Twice lab' });
    const r = await create(unit.id);
    const jobId = r.jobs[0]!.id;
    const pool = t.system.backends.production!.get(ConnectorPool);
    const work = (pool as unknown as { work: import('./jobs/job-work.js').JobWork }).work;
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => work.advanceMany([jobId], 'completed', { kind: 'system', accountId: null, apiKeyId: null })));
    expect(outcomes.map((o) => o.get(jobId)).filter((o) => o === 'advanced')).toHaveLength(1);
    expect(await rows(`SELECT count(*)::int AS n FROM production.job_transitions WHERE job_id = $1 AND to_state = 'completed'`, [jobId])).toEqual([{ n: 1 }]);
    await expect(
      t.sql(`INSERT INTO production.job_transitions (job_id, from_state, to_state, action, actor_kind) VALUES ($1, 'in_progress', 'completed', 'complete', 'system')`, [jobId]),
    ).rejects.toThrow(/job_transitions_one_completion/);
    await expect(t.sql(`UPDATE production.jobs SET state = 'finished' WHERE id = $1`, [jobId])).rejects.toThrow(/check constraint/);
  });

  it("a connector's batch of completions sends commons one message of build reports and fabrication one of consumptions", async () => {
    const unit = addStubUnit(state, { name: 'Batch lab' });
    const jobIds: string[] = [];
    for (let i = 0; i < 12; i++) jobIds.push((await create(unit.id)).jobs[0]!.id);
    const pool = t.system.backends.production!.get(ConnectorPool);
    const work = (pool as unknown as { work: import('./jobs/job-work.js').JobWork }).work;
    const system = { kind: 'system' as const, accountId: null, apiKeyId: null };
    const outcome = await work.advanceMany(jobIds, 'completed', system);
    expect([...outcome.values()]).toEqual(Array(12).fill('advanced'));

    const messages = () =>
      rows<{ queue: string; name: string; job_id: string; payload: any }>(
        `SELECT queue, name, job_id, payload FROM production.outbox
         WHERE (queue = $1 AND payload->'reports' @> jsonb_build_array(jsonb_build_object('sourceJobId', $3::text)))
            OR (queue = $2 AND payload->'keys' @> to_jsonb(ARRAY[$3::text]))
         ORDER BY queue`,
        [QUEUES.buildReports, QUEUES.reservations, jobIds[0]],
      );
    const sent = await messages();
    expect(sent.map((m) => [m.queue, m.name])).toEqual([
      [QUEUES.buildReports, 'build-reports'],
      [QUEUES.reservations, 'outcomes'],
    ]);
    const [reports, consume] = sent;
    expect(reports!.job_id).toMatch(/^builds-[0-9a-f]{40}$/);
    expect(reports!.payload.reports.map((r: { sourceJobId: string }) => r.sourceJobId)).toEqual([...jobIds].sort());
    expect(reports!.payload.reports[0]).toMatchObject({ designVersionId: design.designVersionId, fabUnitId: unit.id, success: true, quantity: 1 });
    expect(consume!.job_id).toMatch(/^consume-[0-9a-f]{40}$/);
    expect(consume!.payload).toEqual({ keys: [...jobIds].sort(), outcome: 'consume', at: expect.any(String) });
    // Nothing per job, and nothing more when the batch comes again (a redelivered connector step).
    expect(await rows(`SELECT 1 FROM production.outbox WHERE job_id = ANY($1)`, [jobIds.flatMap((id) => [`build-${id}`, `consume-${id}`])])).toEqual([]);
    const again = await work.advanceMany(jobIds, 'completed', system);
    expect([...again.values()]).toEqual(Array(12).fill('already'));
    expect(await messages()).toHaveLength(2);
  });
});
