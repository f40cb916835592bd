import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Queue } from 'bullmq';
import { QUEUES } from '#libs/contracts/src/index.js';
import { bullConnectionOptions, bullPrefix } from '#libs/outbox/src/index.js';
import { ConnectorPool } from '#apps/production/src/connectors/connector-pool.js';
import {
  addStubDesign,
  addStubUnit,
  type NeighbourState,
  newNeighbourState,
  startNeighbourStubs,
  type StubUnit,
} from '#apps/production/src/testing/neighbour-stubs.js';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';
import { eventually } from '#libs/testing/src/eventually.js';

jest.setTimeout(120_000);

type Person = { token: string; accountId: string; email: string };

/** PUT/GET /fab-units/{id}/automation: who may, what is refused, and the connector worker following it. */
describe('a fab unit’s automation over HTTP', () => {
  let t: TestSystem;
  let stubs: Awaited<ReturnType<typeof startNeighbourStubs>>;
  const state: NeighbourState = newNeighbourState();
  let requester: Person;
  let operator: Person;
  let otherOperator: Person;
  let adminToken: string;
  let unitA: StubUnit;
  let unitB: StubUnit;
  let keyA: string;
  let keyB: string;
  let design: ReturnType<typeof addStubDesign>;
  const queues: Queue[] = [];

  const path = (unit: { id: string }) => `/fab-units/${unit.id}/automation`;
  const row = async (fabUnitId: string) =>
    (await t.sql<{ concurrency: number; work_ms: number }>(`SELECT concurrency, work_ms FROM production.automated_units WHERE fab_unit_id = $1`, [fabUnitId]))[0] ?? null;
  const until = (check: () => Promise<boolean>, what: string, ms = 30_000) => eventually(check, what, ms);
  const pool = () => t.system.backends.production!.get(ConnectorPool);
  const fabQueue = (unit: StubUnit) => {
    const q = new Queue(QUEUES.fabUnit(unit.id), { connection: bullConnectionOptions(t.config.redisUrl), prefix: bullPrefix(t.config.namespace) });
    queues.push(q);
    return q;
  };
  const direct = async (unit: StubUnit) => {
    const answer = await t.http.post(
      '/production-requests',
      {
        designVersionId: design.designVersionId,
        quantity: 1,
        delivery: { lat: 50.85, lon: 4.35 },
        needBy: new Date(Date.now() + 30 * 86400_000).toISOString(),
        purpose: 'Brackets for the tool library',
        mode: 'direct',
        fabUnitId: unit.id,
      },
      { token: requester.token, headers: { 'idempotency-key': randomUUID() } },
    );
    expect(answer.status).toBe(201);
    return answer.body as { id: string; jobs: { id: string }[] };
  };
  const jobState = async (id: string) => (await t.sql<{ state: string }>(`SELECT state FROM production.jobs WHERE id = $1`, [id]))[0]?.state;

  beforeAll(async () => {
    t = await startTestSystem({ services: ['gateway', 'production'] });
    stubs = await startNeighbourStubs(t.config, state);
    requester = await t.signUp('requester');
    operator = await t.signUp('operator');
    otherOperator = await t.signUp('other');
    const admin = await t.signUp('admin');
    adminToken = await t.makePlatformAdmin(admin.email);
    unitA = addStubUnit(state, { name: 'Fab Lab A', operators: [operator.accountId] });
    unitB = addStubUnit(state, { name: 'Workshop B', operators: [otherOperator.accountId] });
    design = addStubDesign(state);
    keyA = (await t.http.post(`/fab-units/${unitA.id}/api-keys`, { name: 'OctoPrint A' }, { token: operator.token })).body.key;
    keyB = (await t.http.post(`/fab-units/${unitB.id}/api-keys`, { name: 'Bridge B' }, { token: otherOperator.token })).body.key;
  });

  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await stubs?.close();
    await t?.close();
  });

  it('automates a unit: the connector worker starts at once and works its jobs; off again, the worker stops', async () => {
    const before = await t.http.get(path(unitA), { token: operator.token });
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ fabUnitId: unitA.id, automated: false, concurrency: null, automatedSince: null });
    const queue = fabQueue(unitA);

    const on = await t.http.put(path(unitA), { automated: true, concurrency: 3 }, { token: operator.token });
    expect(on.status).toBe(200);
    expect(on.body).toEqual({ fabUnitId: unitA.id, automated: true, concurrency: 3, automatedSince: expect.any(String) });
    expect(await row(unitA.id)).toEqual({ concurrency: 3, work_ms: 0 });
    // The answering process works the queue before it answers; Redis sees the worker once it connects.
    expect(pool().works(unitA.id)).toBe(true);
    await until(async () => (await queue.getWorkersCount()) >= 1, 'a worker on the queue');

    const r = await direct(unitA);
    const jobId = r.jobs[0]!.id;
    await until(async () => (await jobState(jobId)) === 'completed', 'completed by the connector');
    expect(await t.sql(`SELECT action, actor_kind FROM production.job_transitions WHERE job_id = $1 AND action <> 'create' ORDER BY id`, [jobId])).toEqual([
      { action: 'accept', actor_kind: 'system' },
      { action: 'start', actor_kind: 'system' },
      { action: 'complete', actor_kind: 'system' },
    ]);

    // Idempotent, and a new concurrency restarts the worker with it; omitted, the default.
    const again = await t.http.put(path(unitA), { automated: true, concurrency: 5 }, { apiKey: keyA });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ automated: true, concurrency: 5, automatedSince: on.body.automatedSince });
    expect((await t.http.put(path(unitA), { automated: true }, { token: operator.token })).body.concurrency).toBe(20);
    expect(pool().works(unitA.id)).toBe(true);
    expect((await t.http.get(path(unitA), { apiKey: keyA })).body).toMatchObject({ automated: true, concurrency: 20 });

    const off = await t.http.put(path(unitA), { automated: false }, { token: operator.token });
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ fabUnitId: unitA.id, automated: false, concurrency: null, automatedSince: null });
    expect(await row(unitA.id)).toBeNull();
    expect(pool().works(unitA.id)).toBe(false);
    await until(async () => (await queue.getWorkersCount()) === 0, 'no worker on the queue');
    expect((await t.http.put(path(unitA), { automated: false }, { token: operator.token })).status).toBe(200);

    // With nobody working the queue, a new job waits there for the unit's people.
    const later = await direct(unitA);
    const laterId = later.jobs[0]!.id;
    await until(async () => (await queue.getJobState(laterId)) === 'waiting', 'queued in BullMQ');
    expect(await jobState(laterId)).toBe('queued');
    const next = await t.http.post(`/fab-units/${unitA.id}/jobs/next`, undefined, { token: operator.token });
    expect(next.body).toMatchObject({ id: laterId, state: 'accepted' });
  });

  it('refuses bad input with 400 problem details and writes nothing', async () => {
    await t.http.put(path(unitB), { automated: true, concurrency: 2 }, { token: otherOperator.token });
    const bodies: unknown[] = [
      {},
      { automated: 'yes' },
      { automated: 1 },
      { automated: null },
      { automated: true, concurrency: 0 },
      { automated: true, concurrency: 1001 },
      { automated: true, concurrency: 2.5 },
      { automated: true, concurrency: '4' },
      { automated: true, concurrency: null },
      { automated: false, concurrency: 4 },
      { automated: true, workMs: 10 },
      { automated: false, fabUnitId: unitA.id },
      [true],
    ];
    for (const body of bodies) {
      const answer = await t.http.put(path(unitB), body, { token: otherOperator.token });
      expect(`${JSON.stringify(body)} → ${answer.status}`).toBe(`${JSON.stringify(body)} → 400`);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ status: 400, type: expect.any(String), title: expect.any(String) });
    }
    const raw = await t.http.put(path(unitB), undefined, { token: otherOperator.token, raw: '{"automated": tru' });
    expect(raw.status).toBe(400);
    const malformed = await t.http.put('/fab-units/not-a-uuid/automation', { automated: true }, { token: otherOperator.token });
    expect([400, 404]).toContain(malformed.status);
    // Nothing written: the unit keeps what it had.
    expect(await row(unitB.id)).toEqual({ concurrency: 2, work_ms: 0 });
    expect(pool().works(unitB.id)).toBe(true);
    await t.http.put(path(unitB), { automated: false }, { token: otherOperator.token });
  });

  it('is for the unit’s operators, its own API keys and platform admins: others 403, anonymous 401, unknown unit 404', async () => {
    const expectStatus = async (answer: Promise<{ status: number; body: unknown }>, status: number) => {
      const a = await answer;
      expect(a.status).toBe(status);
      return a;
    };
    await expectStatus(t.http.put(path(unitA), { automated: true }, { token: otherOperator.token }), 403);
    await expectStatus(t.http.put(path(unitA), { automated: true }, { token: requester.token }), 403);
    await expectStatus(t.http.put(path(unitA), { automated: true }, { apiKey: keyB }), 403);
    await expectStatus(t.http.put(path(unitA), { automated: true }), 401);
    await expectStatus(t.http.get(path(unitA), { token: otherOperator.token }), 403);
    await expectStatus(t.http.get(path(unitA), { apiKey: keyB }), 403);
    await expectStatus(t.http.get(path(unitA)), 401);
    expect(await row(unitA.id)).toBeNull();
    expect(pool().works(unitA.id)).toBe(false);

    const unknown = { id: randomUUID() };
    const notFound = await expectStatus(t.http.put(path(unknown), { automated: true }, { token: adminToken }), 404);
    expect(notFound.body).toMatchObject({ status: 404 });
    await expectStatus(t.http.get(path(unknown), { token: operator.token }), 404);
    expect(await row(unknown.id)).toBeNull();

    // A platform admin may, on any unit.
    const admin = await expectStatus(t.http.put(path(unitA), { automated: true, concurrency: 1 }, { token: adminToken }), 200);
    expect(admin.body).toMatchObject({ automated: true, concurrency: 1 });
    expect(pool().works(unitA.id)).toBe(true);
    await expectStatus(t.http.put(path(unitA), { automated: false }, { token: adminToken }), 200);
    expect(pool().works(unitA.id)).toBe(false);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await t.http.get('/docs-json');
    expect(doc.status).toBe(200);
    const item = doc.body.paths['/fab-units/{id}/automation'];
    expect(Object.keys(item).sort()).toEqual(['get', 'put']);
    expect(item.put.responses).toHaveProperty('200');
    expect(item.put.responses).toHaveProperty('400');
    expect(item.put.responses).toHaveProperty('403');
    expect(item.put.responses).toHaveProperty('404');
    expect(JSON.stringify(item.put.requestBody)).toContain('SetAutomationDto');
    expect(doc.body.components.schemas.SetAutomationDto.properties.concurrency).toMatchObject({ minimum: 1, maximum: 1000 });
  });
});
