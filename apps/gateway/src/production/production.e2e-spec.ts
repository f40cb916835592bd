import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Queue } from 'bullmq';
import { NamespacedClientRedis, QUEUES, redisConnectionOptions } from '#libs/contracts/src/index.js';
import { PRODUCTION_PATTERNS } from '#libs/contracts/src/production/messages.js';
import { bullConnectionOptions, bullPrefix } from '#libs/outbox/src/index.js';
import { ServiceClient } from '#libs/platform/src/index.js';
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

describe('production over HTTP', () => {
  let t: TestSystem;
  let stubs: Awaited<ReturnType<typeof startNeighbourStubs>>;
  const state: NeighbourState = newNeighbourState();
  let requester: Person;
  let operator: Person;
  let otherOperator: Person;
  let stranger: Person;
  let adminToken: string;
  let unitA: StubUnit;
  let unitB: StubUnit;
  let unitC: StubUnit;
  let keyA: string;
  let keyB: string;
  let design: ReturnType<typeof addStubDesign>;
  let twoStepDesign: ReturnType<typeof addStubDesign>;
  let rpc: ServiceClient;
  let transport: NamespacedClientRedis;

  const future = (days = 30) => new Date(Date.now() + days * 86400_000).toISOString();
  const NEED_BY = future();
  const body = (over: Record<string, unknown> = {}) => ({
    designVersionId: design.designVersionId,
    quantity: 2,
    delivery: { lat: 50.85, lon: 4.35 },
    needBy: NEED_BY,
    purpose: 'Handles for the community water pump',
    ...over,
  });
  /** `key`: omitted → a fresh one; null → no header at all. */
  const post = (b: unknown, token: string | undefined, key: string | null = randomUUID()) =>
    t.http.post('/production-requests', b, { ...(token ? { token } : {}), headers: key === null ? {} : { 'idempotency-key': key } });
  const count = async (table: string, where = 'true') => Number((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM production.${table} WHERE ${where}`))[0]!.n);
  const until = (check: () => Promise<boolean>, what: string, ms = 20_000) => eventually(check, what, ms);
  const direct = async (unit: StubUnit, over: Record<string, unknown> = {}) => {
    const answer = await post(body({ mode: 'direct', fabUnitId: unit.id, ...over }), requester.token);
    expect(answer.status).toBe(201);
    return answer.body as { id: string; state: string; jobs: { id: string; state: string; fabUnitId: string }[] };
  };

  beforeAll(async () => {
    t = await startTestSystem({ services: ['gateway', 'production'] });
    stubs = await startNeighbourStubs(t.config, state);
    requester = await t.signUp('requester');
    operator = await t.signUp('operator');
    otherOperator = await t.signUp('other');
    stranger = await t.signUp('stranger');
    const admin = await t.signUp('admin');
    adminToken = await t.makePlatformAdmin(admin.email);
    unitA = addStubUnit(state, { name: 'Fab Lab A', operators: [operator.accountId], distanceKm: 1 });
    unitC = addStubUnit(state, { name: 'Makerspace C', operators: [], distanceKm: 5 });
    unitB = addStubUnit(state, { name: 'Workshop B', operators: [otherOperator.accountId], distanceKm: 9 });
    design = addStubDesign(state);
    twoStepDesign = addStubDesign(state, [
      { process: 'laser-cutting', material: 'plywood', machineMinutesPerUnit: 10, materialQuantityPerUnit: 0.1, materialUnit: 'm2' },
      { process: '3d-printing.fdm', material: 'pla', machineMinutesPerUnit: 20, materialQuantityPerUnit: 12, materialUnit: 'g' },
    ], 'Enclosure');
    keyA = (await t.http.post(`/fab-units/${unitA.id}/api-keys`, { name: 'OctoPrint A' }, { token: operator.token })).body.key;
    keyB = (await t.http.post(`/fab-units/${unitB.id}/api-keys`, { name: 'Bridge B' }, { token: otherOperator.token })).body.key;
    expect(keyA).toMatch(/^ck_/);
    transport = new NamespacedClientRedis({ ...redisConnectionOptions(t.config.redisUrl), namespace: t.config.namespace });
    rpc = new ServiceClient('production', transport as unknown as ConstructorParameters<typeof ServiceClient>[1], 5000);
  });

  afterAll(async () => {
    await transport?.close();
    await stubs?.close();
    await t?.close();
  });

  describe('POST /production-requests', () => {
    it('matches a pooled request and stores the plan, its cost vector and the alternatives', async () => {
      const answer = await post(body(), requester.token);
      expect(answer.status).toBe(201);
      expect(answer.headers.get('location')).toBe(`/production-requests/${answer.body.id}`);
      expect(answer.body).toMatchObject({
        requesterId: requester.accountId,
        state: 'submitted',
        mode: 'pooled',
        title: 'Valve handle',
        quantity: 2,
        plan: { kind: 'candidate', fabUnitIds: [unitA.id], steps: [{ stepIndex: 0, fabUnitId: unitA.id, minutes: 60, materialQuantity: 50, materialUnit: 'g' }] },
        costVector: { machineMinutes: { '3d-printing.fdm': 60 }, materials: { pla: { quantity: 50, unit: 'g' } } },
      });
      expect(answer.body.alternatives.map((p: { fabUnitIds: string[] }) => p.fabUnitIds[0])).toEqual([unitC.id, unitB.id]);
      expect(answer.body.transitions.map((x: { to: string }) => x.to)).toEqual(['draft', 'submitted']);
      expect(answer.body.transitions[0].actor).toEqual({ kind: 'person', accountId: requester.accountId, apiKeyId: null });
    });

    it('answers the same request for the same key and body, 422 for the same key with another body', async () => {
      const key = randomUUID();
      const first = await post(body({ quantity: 3 }), requester.token, key);
      const again = await post(body({ quantity: 3 }), requester.token, key);
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      const other = await post(body({ quantity: 4 }), requester.token, key);
      expect(other.status).toBe(422);
      expect(other.headers.get('content-type')).toContain('application/problem+json');
      expect(other.body).toMatchObject({ type: 'https://cosmolocal.dev/problems/idempotency-key-reused', requestId: first.body.id });
      // The key is the requester's: someone else may use the same one.
      const strangers = await post(body({ quantity: 3 }), stranger.token, key);
      expect(strangers.status).toBe(201);
      expect(strangers.body.id).not.toBe(first.body.id);
    });

    it('refuses bad input with 400 problem details and writes nothing', async () => {
      const before = await count('requests');
      const cases: [unknown, string | null][] = [
        [body(), null],
        [body(), '   '],
        [body(), 'ä'.repeat(3)],
        [body(), 'k'.repeat(201)],
        [body(), ''],
        [body({ quantity: 0 }), randomUUID()],
        [body({ quantity: 1.5 }), randomUUID()],
        [body({ delivery: { lat: 91, lon: 0 } }), randomUUID()],
        [body({ designVersionId: 'nope' }), randomUUID()],
        [body({ needBy: 'tomorrow' }), randomUUID()],
        [body({ needBy: '2020-01-01T00:00:00Z' }), randomUUID()],
        [body({ mode: 'direct' }), randomUUID()],
        [body({ mode: 'pooled', fabUnitId: unitA.id }), randomUUID()],
        [body({ mode: 'sometimes' }), randomUUID()],
        [body({ purpose: '' }), randomUUID()],
        [body({ colour: 'red' }), randomUUID()],
      ];
      for (const [b, key] of cases) {
        const answer = await post(b, requester.token, key);
        expect([answer.status, JSON.stringify(b)]).toEqual([400, JSON.stringify(b)]);
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
      }
      expect(await count('requests')).toBe(before);
    });

    it('needs a signed-in person: 401 anonymous, 403 for an API key', async () => {
      expect((await post(body(), undefined)).status).toBe(401);
      const byMachine = await t.http.post('/production-requests', body(), { apiKey: keyA, headers: { 'idempotency-key': randomUUID() } });
      expect(byMachine.status).toBe(403);
    });

    it('answers 422 with the explanations when no unit can make it, and writes nothing', async () => {
      const before = await count('requests');
      const incapable = addStubUnit(state, { name: 'Closed lab', capable: false, distanceKm: 2 });
      const answer = await post(body({ mode: 'direct', fabUnitId: incapable.id }), requester.token);
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ type: 'https://cosmolocal.dev/problems/no-match', counts: { matched: 0 } });
      expect(answer.body.exclusions[0]).toMatchObject({ unitId: incapable.id, rule: 'process' });
      const unknown = await post(body({ designVersionId: randomUUID() }), requester.token);
      expect(unknown.status).toBe(422);
      expect(unknown.body.type).toBe('https://cosmolocal.dev/problems/unknown-design-version');
      expect(await count('requests')).toBe(before);
      expect(await count('request_transitions', `request_id NOT IN (SELECT id FROM production.requests)`)).toBe(0);
    });

    it('funds a direct request at once: reservations, queued jobs, queue entries through the outbox', async () => {
      const r = await direct(unitA, { designVersionId: twoStepDesign.designVersionId });
      expect(r.state).toBe('funded');
      expect(r.jobs.map((j) => [j.fabUnitId, j.state])).toEqual([
        [unitA.id, 'queued'],
        [unitA.id, 'queued'],
      ]);
      for (const job of r.jobs) {
        expect(state.reservations.get(job.id)).toMatchObject({ key: job.id, fabUnitId: unitA.id });
      }
      // Step 2 is reserved after step 1 completes.
      const [s1, s2] = r.jobs.map((j) => state.reservations.get(j.id)!);
      expect(s2!.placement.notBefore >= s1!.completion).toBe(true);
      await until(async () => (await count('outbox', `job_id = ANY('{${r.jobs.map((j) => j.id).join(',')}}') AND sent_at IS NOT NULL`)) === 2, 'relayed');
      const queue = new Queue(QUEUES.fabUnit(unitA.id), { connection: bullConnectionOptions(t.config.redisUrl), prefix: bullPrefix(t.config.namespace) });
      const entries = await Promise.all(r.jobs.map((j) => queue.getJob(j.id)));
      expect(entries.map((e) => e?.data)).toEqual(r.jobs.map((j) => ({ jobId: j.id })));
      await queue.close();
    });

    it('refuses a direct request whose unit cannot reserve (409), failing it and releasing nothing it did not hold', async () => {
      const busy = addStubUnit(state, { name: 'Busy lab', refuseReservations: true, distanceKm: 3 });
      const answer = await post(body({ mode: 'direct', fabUnitId: busy.id }), requester.token);
      expect(answer.status).toBe(409);
      const r = await t.http.get(`/production-requests/${answer.body.requestId}`, { token: requester.token });
      expect(r.body).toMatchObject({ state: 'failed', jobs: [] });
      expect(r.body.reason).toContain('No reservation could be placed at Busy lab');
    });
  });

  describe('GET and cancel a request', () => {
    it('shows requesters their own requests only (others: 404)', async () => {
      const r = await direct(unitA);
      expect((await t.http.get(`/production-requests/${r.id}`, { token: requester.token })).status).toBe(200);
      expect((await t.http.get(`/production-requests/${r.id}`, { token: stranger.token })).status).toBe(404);
      expect((await t.http.get(`/production-requests/${r.id}`, { token: operator.token })).status).toBe(404);
      expect((await t.http.get(`/production-requests/${r.id}`, { apiKey: keyA })).status).toBe(404);
      expect((await t.http.get(`/production-requests/${r.id}`)).status).toBe(401);
      expect((await t.http.get(`/production-requests/${randomUUID()}`, { token: requester.token })).status).toBe(404);
      expect((await t.http.get(`/production-requests/not-a-uuid`, { token: requester.token })).status).toBe(404);
      expect((await t.http.get(`/production-requests/${r.id}`, { token: adminToken })).status).toBe(200);
    });

    it('cancels: live jobs cancelled, reservations released through the outbox; a second cancel is 409', async () => {
      const r = await direct(unitA);
      expect((await t.http.post(`/production-requests/${r.id}/cancel`, undefined, { token: stranger.token })).status).toBe(404);
      const answer = await t.http.post(`/production-requests/${r.id}/cancel`, undefined, { token: requester.token });
      expect(answer.status).toBe(200);
      expect(answer.body.state).toBe('cancelled');
      expect(answer.body.jobs.map((j: { state: string }) => j.state)).toEqual(['cancelled']);
      const release = await t.sql(`SELECT payload FROM production.outbox WHERE queue = $1 AND job_id = $2`, [QUEUES.reservations, `release-${r.jobs[0]!.id}`]);
      expect(release[0]!.payload).toMatchObject({ key: r.jobs[0]!.id, outcome: 'release' });
      const again = await t.http.post(`/production-requests/${r.id}/cancel`, undefined, { token: requester.token });
      expect(again.status).toBe(409);
      expect(again.body.detail).toContain('is cancelled');
      expect(again.body.currentState).toBe('cancelled');
    });
  });

  describe('jobs, for operators and machine connectors', () => {
    it('lists a unit’s jobs for its operators and its API keys only', async () => {
      const r = await direct(unitA);
      const list = await t.http.get(`/fab-units/${unitA.id}/jobs?state=queued`, { apiKey: keyA });
      expect(list.status).toBe(200);
      expect(list.body.map((j: { id: string }) => j.id)).toContain(r.jobs[0]!.id);
      expect(list.body.every((j: { state: string }) => j.state === 'queued')).toBe(true);
      expect((await t.http.get(`/fab-units/${unitA.id}/jobs`, { token: operator.token })).status).toBe(200);
      expect((await t.http.get(`/fab-units/${unitA.id}/jobs`, { token: otherOperator.token })).status).toBe(403);
      expect((await t.http.get(`/fab-units/${unitA.id}/jobs`, { apiKey: keyB })).status).toBe(403);
      expect((await t.http.get(`/fab-units/${unitA.id}/jobs`)).status).toBe(401);
      expect((await t.http.get(`/fab-units/${unitA.id}/jobs?state=lost`, { apiKey: keyA })).status).toBe(400);
      expect((await t.http.get(`/fab-units/${randomUUID()}/jobs`, { token: operator.token })).status).toBe(404);
    });

    it('runs a job through next → start → progress → complete with a machine key: provenance, build report, consumption', async () => {
      // Drain the unit's queue of earlier tests' jobs so `next` reaches ours.
      const r = await direct(unitB);
      const next = await t.http.post(`/fab-units/${unitB.id}/jobs/next`, undefined, { apiKey: keyB });
      expect(next.status).toBe(200);
      expect(next.body).toMatchObject({ id: r.jobs[0]!.id, state: 'accepted' });
      expect((await t.http.post(`/fab-units/${unitB.id}/jobs/next`, undefined, { apiKey: keyB })).status).toBe(204);
      // Taken over HTTP: its queue entry is moot — withdrawn before it was sent, or removed after.
      const fabB = new Queue(QUEUES.fabUnit(unitB.id), { connection: bullConnectionOptions(t.config.redisUrl), prefix: bullPrefix(t.config.namespace) });
      await until(async () => (await count('outbox', `job_id = '${r.jobs[0]!.id}' AND done_at IS NOT NULL`)) === 1, 'queue entry done');
      expect(await fabB.getJob(r.jobs[0]!.id)).toBeUndefined();
      await fabB.close();
      expect((await t.http.post(`/fab-units/${unitB.id}/jobs/next`, undefined, { apiKey: keyA })).status).toBe(403);
      const id = r.jobs[0]!.id;
      expect((await t.http.post(`/jobs/${id}/start`, undefined, { apiKey: keyA })).status).toBe(403);
      expect((await t.http.post(`/jobs/${id}/start`, undefined, { token: operator.token })).status).toBe(403);
      expect((await t.http.post(`/jobs/${id}/start`, undefined, { apiKey: keyB })).body.state).toBe('in_progress');
      expect((await t.http.post(`/jobs/${id}/progress`, { percent: 150 }, { apiKey: keyB })).status).toBe(400);
      expect((await t.http.post(`/jobs/${id}/progress`, { percent: 60, note: 'layer 180' }, { apiKey: keyB })).body.progress).toBe(60);
      expect((await t.http.get(`/production-requests/${r.id}`, { token: requester.token })).body.state).toBe('in_production');
      const done = await t.http.post(`/jobs/${id}/complete`, { notes: 'fine' }, { token: otherOperator.token });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ state: 'completed', progress: 100 });
      expect(done.body.transitions.map((x: { action: string }) => x.action)).toEqual(['create', 'accept', 'start', 'progress', 'complete']);
      expect(done.body.transitions[1].actor).toMatchObject({ kind: 'machine', apiKeyId: expect.any(String) });
      expect(done.body.transitions[4].actor).toEqual({ kind: 'person', accountId: otherOperator.accountId, apiKeyId: null });

      const req = await t.http.get(`/production-requests/${r.id}`, { token: requester.token });
      expect(req.body.state).toBe('fulfilled');

      const provenance = await t.http.get(`/jobs/${id}/provenance`, { token: requester.token });
      expect(provenance.status).toBe(200);
      expect(provenance.body).toMatchObject({
        jobId: id,
        design: { designVersionId: design.designVersionId, contentHash: design.contentHash, license: 'CERN-OHL-S-2.0', attribution: design.attribution },
        fabUnitId: unitB.id,
        quantity: 2,
        materialsConsumed: [{ material: 'pla', quantity: 50, unit: 'g' }],
      });
      expect((await t.http.get(`/jobs/${id}/provenance`, { apiKey: keyB })).status).toBe(200);
      expect((await t.http.get(`/jobs/${id}/provenance`, { token: stranger.token })).status).toBe(403);
      expect((await t.http.get(`/jobs/${randomUUID()}/provenance`, { token: requester.token })).status).toBe(404);

      const outbox = await t.sql<{ queue: string; payload: Record<string, unknown> }>(
        `SELECT queue, payload FROM production.outbox WHERE job_id IN ($1, $2)`,
        [`build-${id}`, `consume-${id}`],
      );
      expect(outbox).toEqual(
        expect.arrayContaining([
          { queue: QUEUES.buildReports, payload: expect.objectContaining({ sourceJobId: id, designVersionId: design.designVersionId, fabUnitId: unitB.id, success: true, quantity: 2, notes: 'fine' }) },
          { queue: QUEUES.reservations, payload: expect.objectContaining({ key: id, outcome: 'consume' }) },
        ]),
      );
      const again = await t.http.post(`/jobs/${id}/complete`, {}, { apiKey: keyB });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ currentState: 'completed' });
      expect(again.body.detail).toContain('is completed');
      expect(await count('provenance', `job_id = '${id}'`)).toBe(1);
    });

    it('GET /jobs/{id}: the unit sees it, others 403, unknown 404, malformed 404', async () => {
      const r = await direct(unitA);
      const id = r.jobs[0]!.id;
      expect((await t.http.get(`/jobs/${id}`, { token: operator.token })).body.transitions).toHaveLength(1);
      expect((await t.http.get(`/jobs/${id}`, { apiKey: keyA })).status).toBe(200);
      expect((await t.http.get(`/jobs/${id}`, { apiKey: keyB })).status).toBe(403);
      expect((await t.http.get(`/jobs/${id}`, { token: requester.token })).status).toBe(403);
      expect((await t.http.get(`/jobs/${randomUUID()}`, { token: operator.token })).status).toBe(404);
      expect((await t.http.get(`/jobs/xyz`, { token: operator.token })).status).toBe(404);
      expect((await t.http.post(`/jobs/${id}/fail`, { reason: '' }, { token: operator.token })).status).toBe(400);
      expect((await t.http.post(`/jobs/${id}/decline`, { extra: 1 }, { token: operator.token })).status).toBe(400);
    });

    it('a failed job releases its reservation and fails the request; its sibling is cancelled', async () => {
      const r = await direct(unitA, { designVersionId: twoStepDesign.designVersionId });
      const [first, second] = r.jobs;
      await t.http.post(`/jobs/${first!.id}/accept`, undefined, { apiKey: keyA });
      const failed = await t.http.post(`/jobs/${first!.id}/fail`, { reason: 'Laser tube broke' }, { apiKey: keyA });
      expect(failed.body).toMatchObject({ state: 'failed', reason: 'Laser tube broke' });
      const req = (await t.http.get(`/production-requests/${r.id}`, { token: requester.token })).body;
      expect(req.state).toBe('failed');
      expect(req.jobs.map((j: { state: string }) => j.state)).toEqual(['failed', 'cancelled']);
      const releases = await t.sql<{ job_id: string }>(`SELECT job_id FROM production.outbox WHERE queue = $1 AND job_id = ANY($2) ORDER BY job_id`, [
        QUEUES.reservations,
        [`release-${first!.id}`, `release-${second!.id}`],
      ]);
      expect(releases).toHaveLength(2);
    });

    it('a declined job is rerouted to the next candidate; with none left the request fails', async () => {
      // Pooled and funded by a council decision: the match ranked A, C, B.
      const created = await post(body(), requester.token);
      const requestId = created.body.id as string;
      const roundId = randomUUID();
      await rpc.send(PRODUCTION_PATTERNS.requestsEnterAllocation, null, { requestIds: [requestId], roundId });
      const allocations = new Queue(QUEUES.allocations, { connection: bullConnectionOptions(t.config.redisUrl), prefix: bullPrefix(t.config.namespace) });
      await allocations.add('decision', { roundId, requestId, funded: true, reason: 'fits the pool' }, { jobId: `${roundId}-${requestId}` });
      await allocations.close();
      await until(async () => (await t.http.get(`/production-requests/${requestId}`, { token: requester.token })).body.state === 'funded', 'funded');
      let req = (await t.http.get(`/production-requests/${requestId}`, { token: requester.token })).body;
      expect(req).toMatchObject({ roundId, reason: 'fits the pool' });
      const atA = req.jobs[0];
      expect(atA.fabUnitId).toBe(unitA.id);

      const declined = await t.http.post(`/jobs/${atA.id}/decline`, { reason: 'Printer in maintenance' }, { token: operator.token });
      expect(declined.status).toBe(200);
      expect(declined.body.state).toBe('declined');
      req = (await t.http.get(`/production-requests/${requestId}`, { token: requester.token })).body;
      expect(req.state).toBe('funded');
      expect(req.jobs.map((j: { fabUnitId: string; state: string }) => [j.fabUnitId, j.state])).toEqual([
        [unitA.id, 'declined'],
        [unitC.id, 'queued'],
      ]);
      const atC = req.jobs[1];
      expect((await t.http.get(`/jobs/${atC.id}`, { token: operator.token })).status).toBe(403);
      expect(state.reservations.get(atC.id)).toMatchObject({ fabUnitId: unitC.id });
      expect(await count('outbox', `job_id = 'release-${atA.id}'`)).toBe(1);
      expect(await count('outbox', `job_id = '${atC.id}' AND queue = '${QUEUES.fabUnit(unitC.id)}'`)).toBe(1);

      // C and then B decline: nobody is left.
      const keyC = (await t.http.post(`/fab-units/${unitC.id}/api-keys`, { name: 'C' }, { token: adminToken })).body.key;
      expect((await t.http.post(`/jobs/${atC.id}/decline`, {}, { apiKey: keyC })).status).toBe(200);
      req = (await t.http.get(`/production-requests/${requestId}`, { token: requester.token })).body;
      const atB = req.jobs.find((j: { fabUnitId: string }) => j.fabUnitId === unitB.id);
      expect((await t.http.post(`/jobs/${atB.id}/decline`, {}, { apiKey: keyB })).status).toBe(200);
      req = (await t.http.get(`/production-requests/${requestId}`, { token: requester.token })).body;
      expect(req.state).toBe('failed');
      expect(req.reason).toContain('no other candidate');
      expect((await t.http.post(`/jobs/${atA.id}/decline`, {}, { token: operator.token })).status).toBe(409);
    });

    it('every (state, action) pair over HTTP: the allowed ones pass, the rest answer 409 naming the state', async () => {
      const STATES = ['queued', 'accepted', 'in_progress', 'completed', 'failed', 'cancelled', 'declined'] as const;
      const ACTIONS = ['accept', 'decline', 'start', 'progress', 'complete', 'fail'] as const;
      const ALLOWED: Record<string, string[]> = {
        queued: ['accept', 'decline'],
        accepted: ['decline', 'start', 'fail'],
        in_progress: ['progress', 'complete', 'fail'],
      };
      const bodies: Record<string, object> = { progress: { percent: 10 }, fail: { reason: 'broken' } };
      const results: string[] = [];
      for (const s of STATES) {
        for (const action of ACTIONS) {
          const r = await direct(unitA);
          const id = r.jobs[0]!.id;
          if (s !== 'queued') {
            await t.sql(
              `UPDATE production.jobs SET state = $2, accepted_at = now(), started_at = now(),
               finished_at = CASE WHEN $2 IN ('completed','failed','cancelled','declined') THEN now() END WHERE id = $1`,
              [id, s],
            );
          }
          const answer = await t.http.post(`/jobs/${id}/${action}`, bodies[action], { apiKey: keyA });
          const expected = ALLOWED[s]?.includes(action) ? 200 : 409;
          results.push(`${s} ${action} ${answer.status}`);
          expect(`${s} ${action} ${answer.status}`).toBe(`${s} ${action} ${expected}`);
          if (expected === 409) {
            expect(answer.body.currentState).toBe(s);
            expect(answer.body.detail).toContain(`is ${s}`);
          }
        }
      }
      expect(results).toHaveLength(42);
    });
  });

  describe('the council’s patterns', () => {
    it('describes requests for a ballot and takes them into a round, all or none, idempotently', async () => {
      const a = (await post(body(), requester.token)).body.id;
      const b = (await post(body({ quantity: 5 }), requester.token)).body.id;
      const described = await rpc.send<{ id: string; fabUnitIds: string[]; costVector: object; state: string }[]>(PRODUCTION_PATTERNS.requestsForAllocation, null, { ids: [a, b, randomUUID()] });
      expect(described.map((d) => d.id).sort()).toEqual([a, b].sort());
      expect(described[0]).toMatchObject({ state: 'submitted', fabUnitIds: [unitA.id], costVector: { machineMinutes: expect.any(Object) } });

      const roundId = randomUUID();
      const directOne = (await direct(unitA)).id;
      await expect(rpc.send(PRODUCTION_PATTERNS.requestsEnterAllocation, null, { requestIds: [a, directOne], roundId })).rejects.toMatchObject({ status: 409 });
      expect((await t.http.get(`/production-requests/${a}`, { token: requester.token })).body.state).toBe('submitted');
      await rpc.send(PRODUCTION_PATTERNS.requestsEnterAllocation, null, { requestIds: [a, b], roundId });
      await rpc.send(PRODUCTION_PATTERNS.requestsEnterAllocation, null, { requestIds: [a, b], roundId });
      expect((await t.http.get(`/production-requests/${b}`, { token: requester.token })).body).toMatchObject({ state: 'in_allocation', roundId });
      await expect(rpc.send(PRODUCTION_PATTERNS.requestsEnterAllocation, null, { requestIds: [a], roundId: randomUUID() })).rejects.toMatchObject({ status: 409 });
      await expect(rpc.send(PRODUCTION_PATTERNS.requestsEnterAllocation, null, { requestIds: ['x'], roundId })).rejects.toMatchObject({ status: 400 });

      // An unfunded decision, delivered twice, is applied once.
      const allocations = new Queue(QUEUES.allocations, { connection: bullConnectionOptions(t.config.redisUrl), prefix: bullPrefix(t.config.namespace) });
      await allocations.add('decision', { roundId, requestId: b, funded: false, reason: 'the pool ran out of 3d-printing.fdm' });
      await allocations.add('decision', { roundId, requestId: b, funded: false, reason: 'the pool ran out of 3d-printing.fdm' });
      await allocations.close();
      await until(async () => (await count('allocation_decisions', `request_id = '${b}'`)) === 1, 'decision');
      const unfunded = (await t.http.get(`/production-requests/${b}`, { token: requester.token })).body;
      expect(unfunded).toMatchObject({ state: 'unfunded', reason: 'the pool ran out of 3d-printing.fdm' });
      expect(unfunded.transitions.filter((x: { to: string }) => x.to === 'unfunded')).toHaveLength(1);
    });
  });

  describe('Bull Board at /admin/queues', () => {
    it('is for platform admins only', async () => {
      expect((await t.http.get('/admin/queues')).status).toBe(401);
      expect((await t.http.get('/admin/queues', { token: requester.token })).status).toBe(403);
      expect((await t.http.get('/admin/queues/api/queues', { apiKey: keyA })).status).toBe(403);
      expect((await t.http.get('/admin/queues', { token: 'not.a.jwt' })).status).toBe(401);
      const page = await t.http.get('/admin/queues', { token: adminToken });
      expect(page.status).toBe(200);
      expect(page.text).toContain('<html');
      const api = await t.http.get('/admin/queues/api/queues', { token: adminToken });
      expect(api.status).toBe(200);
      const names = (api.body.queues as { name: string }[]).map((q) => q.name);
      expect(names).toEqual(expect.arrayContaining([QUEUES.allocations, QUEUES.fabUnit(unitA.id)]));
    });
  });
});
