import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestMicroservice } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ConnectorPool } from '#apps/production/src/connectors/connector-pool.js';
import { addStubDesign, addStubUnit, newNeighbourState, type StubUnit } from '#apps/production/src/testing/neighbour-stubs.js';
import type { TestSystem } from '../../../../test/support/test-system.js';
import {
  issueApiKey,
  openFabQueue,
  type Person,
  requestDirect,
  signUpRequesterOperatorsAdmin,
  startWithNeighbourStubs,
  stopWithNeighbourStubs,
} from '../../../../test/support/production-fixtures.js';
import { eventually } from '#libs/testing/src/eventually.js';

jest.setTimeout(120_000);

/** PUT/GET /fab-units/{id}/automation: who may, what is refused, and the connector worker following it. */
describe('a fab unit’s automation over HTTP', () => {
  let t: TestSystem;
  let stubs: INestMicroservice;
  const state = newNeighbourState();
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
  const direct = (unit: StubUnit) => requestDirect(t, requester.token, unit, { designVersionId: design.designVersionId });
  const jobState = async (id: string) => (await t.sql<{ state: string }>(`SELECT state FROM production.jobs WHERE id = $1`, [id]))[0]?.state;

  beforeAll(async () => {
    ({ t, stubs } = await startWithNeighbourStubs(state));
    ({ requester, operator, otherOperator, adminToken } = await signUpRequesterOperatorsAdmin(t));
    unitA = addStubUnit(state, { name: 'Fab Lab A', operators: [operator.accountId] });
    unitB = addStubUnit(state, { name: 'Workshop B', operators: [otherOperator.accountId] });
    design = addStubDesign(state);
    keyA = await issueApiKey(t, unitA, operator.token, 'OctoPrint A');
    keyB = await issueApiKey(t, unitB, otherOperator.token, 'Bridge B');
  });

  afterAll(async () => {
    await stopWithNeighbourStubs(t, stubs, queues);
  });

  it('automates a unit: the connector worker starts at once and works its jobs; off again, the worker stops', async () => {
    const before = await t.http.get(path(unitA), { token: operator.token });
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ fabUnitId: unitA.id, automated: false, concurrency: null, automatedSince: null });
    const queue = openFabQueue(t, unitA, queues);

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
    // One record for the connector's three steps (combined-steps.ts); the API shows each step.
    expect(await t.sql(`SELECT action, actor_kind FROM production.job_transitions WHERE job_id = $1 AND action <> 'create' ORDER BY id`, [jobId])).toEqual([
      { action: 'accept+start+complete', actor_kind: 'system' },
    ]);
    const view = await t.http.get(`/jobs/${jobId}`, { token: operator.token });
    expect(view.status).toBe(200);
    expect(view.body.transitions.map((x: { from: string | null; to: string; action: string; actor: { kind: string } }) => [x.from, x.to, x.action, x.actor.kind])).toEqual([
      [null, 'queued', 'create', 'person'],
      ['queued', 'accepted', 'accept', 'system'],
      ['accepted', 'in_progress', 'start', 'system'],
      ['in_progress', 'completed', 'complete', 'system'],
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
