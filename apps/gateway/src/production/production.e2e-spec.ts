import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import type { INestMicroservice } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { NamespacedClientRedis, QUEUES, redisConnectionOptions } from '#libs/contracts/src/index.js';
import { PRODUCTION_PATTERNS } from '#libs/contracts/src/production/messages.js';
import { ServiceClient } from '#libs/platform/src/index.js';
import { addStubDesign, addStubUnit, newNeighbourState, type StubUnit } from '#apps/production/src/testing/neighbour-stubs.js';
import { rerouteJobId } from '#apps/production/src/jobs/usecases/decline-job/decline-job.usecase.js';
import { ProductionService } from '#apps/production/src/production.service.js';
import { jobIdFor } from '#apps/production/src/requests/usecases/fund-request/fund-request.usecase.js';
import type { TestSystem } from '../../../../test/support/test-system.js';
import {
  bullOptions,
  issueApiKey,
  openFabQueue,
  openQueue,
  type Person,
  requestDirect,
  signUpRequesterOperatorsAdmin,
  startWithNeighbourStubs,
  stopWithNeighbourStubs,
} from '../../../../test/support/production-fixtures.js';
import { eventually } from '#libs/testing/src/eventually.js';

jest.setTimeout(120_000);

describe('production over HTTP', () => {
  let t: TestSystem;
  let stubs: INestMicroservice;
  const state = newNeighbourState();
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
  const direct = (unit: StubUnit, over: Record<string, unknown> = {}) => requestDirect(t, requester.token, unit, body(over));

  beforeAll(async () => {
    ({ t, stubs } = await startWithNeighbourStubs(state));
    ({ requester, operator, otherOperator, adminToken } = await signUpRequesterOperatorsAdmin(t));
    stranger = await t.signUp('stranger');
    unitA = addStubUnit(state, { name: 'Fab Lab A', operators: [operator.accountId], distanceKm: 1 });
    unitC = addStubUnit(state, { name: 'Makerspace C', operators: [], distanceKm: 5 });
    unitB = addStubUnit(state, { name: 'Workshop B', operators: [otherOperator.accountId], distanceKm: 9 });
    design = addStubDesign(state);
    twoStepDesign = addStubDesign(state, [
      { process: 'laser-cutting', material: 'plywood', machineMinutesPerUnit: 10, materialQuantityPerUnit: 0.1, materialUnit: 'm2' },
      { process: '3d-printing.fdm', material: 'pla', machineMinutesPerUnit: 20, materialQuantityPerUnit: 12, materialUnit: 'g' },
    ], 'Enclosure');
    keyA = await issueApiKey(t, unitA, operator.token, 'OctoPrint A');
    keyB = await issueApiKey(t, unitB, otherOperator.token, 'Bridge B');
    expect(keyA).toMatch(/^ck_/);
    transport = new NamespacedClientRedis({ ...redisConnectionOptions(t.config.redisUrl), namespace: t.config.namespace });
    rpc = new ServiceClient('production', transport as unknown as ConstructorParameters<typeof ServiceClient>[1], 5000);
  });

  afterAll(async () => {
    await transport?.close();
    await stopWithNeighbourStubs(t, stubs);
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
      // Both steps' entries travel in one outbox row for the unit's queue (a fan-out), each its own BullMQ job.
      const row = `queue = '${QUEUES.fabUnit(unitA.id)}' AND entries @> '${JSON.stringify(r.jobs.map((j) => ({ jobId: j.id })))}'`;
      await until(async () => (await count('outbox', `${row} AND sent_at IS NOT NULL`)) === 1, 'relayed');
      expect(await count('outbox', `queue = '${QUEUES.fabUnit(unitA.id)}' AND job_id = ANY('{${r.jobs.map((j) => j.id).join(',')}}')`)).toBe(0);
      const queue = openFabQueue(t, unitA);
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
      const release = await t.sql(`SELECT name, payload FROM production.outbox WHERE queue = $1 AND payload->'keys' @> to_jsonb(ARRAY[$2::text])`, [
        QUEUES.reservations,
        r.jobs[0]!.id,
      ]);
      expect(release).toEqual([{ name: 'outcomes', payload: expect.objectContaining({ keys: [r.jobs[0]!.id], outcome: 'release' }) }]);
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
      const fabB = openFabQueue(t, unitB);
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
        `SELECT queue, payload FROM production.outbox
         WHERE payload->'reports' @> jsonb_build_array(jsonb_build_object('sourceJobId', $1::text)) OR payload->'keys' @> to_jsonb(ARRAY[$1::text])
         ORDER BY queue`,
        [id],
      );
      expect(outbox).toEqual([
        {
          queue: QUEUES.buildReports,
          payload: {
            reports: [{ sourceJobId: id, designVersionId: design.designVersionId, fabUnitId: unitB.id, success: true, quantity: 2, notes: 'fine', reportedAt: expect.any(String) }],
          },
        },
        { queue: QUEUES.reservations, payload: { keys: [id], outcome: 'consume', at: expect.any(String) } },
      ]);
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
      // The failed job and the sibling its failure cancelled: one message (one transaction, one outcome).
      const releases = await t.sql<{ payload: { keys: string[]; outcome: string } }>(
        `SELECT payload FROM production.outbox WHERE queue = $1 AND (payload->'keys' @> to_jsonb(ARRAY[$2::text]) OR payload->'keys' @> to_jsonb(ARRAY[$3::text]))`,
        [QUEUES.reservations, first!.id, second!.id],
      );
      expect(releases).toEqual([{ payload: expect.objectContaining({ keys: [first!.id, second!.id].sort(), outcome: 'release' }) }]);
    });

    it('a declined job is rerouted to the next candidate; with none left the request fails', async () => {
      // Pooled and funded by a council decision: the match ranked A, C, B.
      const created = await post(body(), requester.token);
      const requestId = created.body.id as string;
      const roundId = randomUUID();
      await rpc.send(PRODUCTION_PATTERNS.requestsEnterAllocation, null, { requestIds: [requestId], roundId });
      const allocations = openQueue(t, QUEUES.allocations);
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
      expect(await count('outbox', `payload->'keys' @> '["${atA.id}"]' AND payload->>'outcome' = 'release'`)).toBe(1);
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

    // A decline places its reroute's reservation before its transaction; these races are about
    // what becomes of that reservation when the decline loses. Fabrication is a stub here: a
    // worker on its queue stands in for its reservation processor, noting each key's outcomes.
    /** A pooled request funded by a round's decision (the match ranked A, C, B), and its job at A. */
    const fundedAtA = async () => {
      const requestId = (await post(body(), requester.token)).body.id as string;
      const roundId = randomUUID();
      await rpc.send(PRODUCTION_PATTERNS.requestsEnterAllocation, null, { requestIds: [requestId], roundId });
      const allocations = openQueue(t, QUEUES.allocations);
      await allocations.add('decision', { roundId, requestId, funded: true, reason: 'fits the pool' }, { jobId: `${roundId}-${requestId}` });
      await allocations.close();
      const funded = await eventually(async () => {
        const r = (await t.http.get(`/production-requests/${requestId}`, { token: requester.token })).body as { state: string; jobs: { id: string }[] };
        return r.state === 'funded' && r;
      }, 'funded', 20_000);
      const job = (await t.http.get(`/jobs/${funded.jobs[0]!.id}`, { token: operator.token })).body as { id: string; fabUnitId: string; stepIndex: number; attempt: number };
      expect(job.fabUnitId).toBe(unitA.id);
      const rerouteKey = (unit: StubUnit) => rerouteJobId(requestId, job.stepIndex, job.attempt + 1, unit.id);
      return { requestId, job, rerouteKey };
    };
    const fabricationOutcomes = () => {
      const outcomes = new Map<string, string[]>();
      const options = bullOptions(t);
      const worker = new Worker(
        QUEUES.reservations,
        async (entry) => {
          const message = entry.data as { keys?: string[]; key?: string; outcome: string };
          for (const key of message.keys ?? [message.key!]) outcomes.set(key, [...(outcomes.get(key) ?? []), message.outcome]);
        },
        options,
      );
      const queue = new Queue(QUEUES.reservations, options);
      return {
        outcomes,
        /** Every outcome production has committed so far was relayed and processed. */
        settled: () =>
          until(async () => {
            const rows = await t.sql<{ job_id: string; sent_at: Date | null }>(`SELECT job_id, sent_at FROM production.outbox WHERE queue = $1`, [QUEUES.reservations]);
            if (rows.some((r) => r.sent_at === null)) return false;
            return (await Promise.all(rows.map((r) => queue.getJobState(r.job_id)))).every((s) => s === 'completed');
          }, 'reservation outcomes relayed and processed'),
        close: async () => {
          await worker.close();
          await queue.close();
        },
      };
    };
    /**
     * Holds a request's row lock, the one every job transaction takes first, so that actions sent
     * meanwhile get past their checks (and a decline past its placement) and queue up behind it;
     * PostgreSQL then lets them through one by one in the order they queued.
     */
    const lockRequest = async (requestId: string) => {
      const client = new pg.Client({ connectionString: t.config.databaseUrl });
      await client.connect();
      await client.query('BEGIN');
      await client.query('SELECT 1 FROM production.requests WHERE id = $1 FOR UPDATE', [requestId]);
      return {
        waiting: (n: number) =>
          until(async () => {
            const rows = await t.sql<{ n: string }>(
              `SELECT count(*) AS n FROM pg_stat_activity
               WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'SELECT 1 FROM production.requests WHERE id = ANY%'`,
            );
            return Number(rows[0]!.n) === n;
          }, `${n} transactions waiting for the request's lock`),
        release: async () => {
          await client.query('COMMIT');
          await client.end();
        },
      };
    };

    it('two concurrent declines of a job: one reroutes, the other answers 409 and leaves the reroute’s reservation held', async () => {
      const fabrication = fabricationOutcomes();
      try {
        // Free races (the loser may stop at its first check, or reach its transaction), then races
        // held at the request's lock until both declines have placed the reroute's reservation and
        // wait in their transactions.
        for (const held of [false, false, false, true, true]) {
          const { requestId, job, rerouteKey } = await fundedAtA();
          const lock = held ? await lockRequest(requestId) : null;
          const racing = Promise.all([
            t.http.post(`/jobs/${job.id}/decline`, { reason: 'Printer in maintenance' }, { token: operator.token }),
            t.http.post(`/jobs/${job.id}/decline`, { reason: 'Nozzle clogged' }, { apiKey: keyA }),
          ]);
          if (lock) {
            try {
              await lock.waiting(2);
            } finally {
              await lock.release();
            }
          }
          const answers = await racing;
          expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
          expect(answers.find((a) => a.status === 409)!.body.currentState).toBe('declined');
          // The winner rerouted to C, the next candidate: that job and its reservation are the winner's.
          expect(await t.sql(`SELECT id, fab_unit_id, state FROM production.jobs WHERE rerouted_from = $1`, [job.id])).toEqual([
            { id: rerouteKey(unitC), fab_unit_id: unitC.id, state: 'queued' },
          ]);
          await fabrication.settled();
          expect(state.reservations.has(rerouteKey(unitC))).toBe(true);
          expect(fabrication.outcomes.get(rerouteKey(unitC))).toBeUndefined();
          expect(fabrication.outcomes.get(job.id)).toEqual(['release']);
          // A loser that read the job before the winner committed but its units after tried B: that reservation goes back.
          expect(fabrication.outcomes.get(rerouteKey(unitB))).toEqual(state.reservations.has(rerouteKey(unitB)) ? ['release'] : undefined);
        }
      } finally {
        await fabrication.close();
      }
    });

    it('a decline that loses to a concurrent start answers 409 and releases the reservation it placed for the reroute', async () => {
      // Not to an accept: an accepted job may still be declined. Start queues up at the request's
      // lock first; the decline places its reroute's reservation at C and queues up behind it.
      const fabrication = fabricationOutcomes();
      try {
        const { requestId, job, rerouteKey } = await fundedAtA();
        expect((await t.http.post(`/jobs/${job.id}/accept`, undefined, { apiKey: keyA })).status).toBe(200);
        const lock = await lockRequest(requestId);
        let started: Promise<{ status: number; body: any }> | undefined;
        let declined: Promise<{ status: number; body: any }> | undefined;
        try {
          started = t.http.post(`/jobs/${job.id}/start`, undefined, { apiKey: keyA });
          await lock.waiting(1);
          declined = t.http.post(`/jobs/${job.id}/decline`, { reason: 'Printer in maintenance' }, { token: operator.token });
          await lock.waiting(2);
        } finally {
          await lock.release();
        }
        const [start, decline] = await Promise.all([started, declined]);
        expect([start!.status, decline!.status]).toEqual([200, 409]);
        expect(decline!.body.currentState).toBe('in_progress');
        expect(state.reservations.has(rerouteKey(unitC))).toBe(true);
        expect(await count('jobs', `id = '${rerouteKey(unitC)}'`)).toBe(0);
        await fabrication.settled();
        expect(fabrication.outcomes.get(rerouteKey(unitC))).toEqual(['release']);
        expect(fabrication.outcomes.get(job.id)).toBeUndefined();
      } finally {
        await fabrication.close();
      }
    });

    it('a decline racing an accept always reroutes: an accepted job may still be declined', async () => {
      const fabrication = fabricationOutcomes();
      try {
        for (let i = 0; i < 3; i++) {
          const { job, rerouteKey } = await fundedAtA();
          const [accept, decline] = await Promise.all([
            t.http.post(`/jobs/${job.id}/accept`, undefined, { apiKey: keyA }),
            t.http.post(`/jobs/${job.id}/decline`, { reason: 'Printer in maintenance' }, { token: operator.token }),
          ]);
          expect(decline.status).toBe(200);
          // Accept lost when the decline came first; else it won and the decline followed it.
          if (accept.status === 409) expect(accept.body.currentState).toBe('declined');
          else expect(accept.status).toBe(200);
          expect(await count('jobs', `rerouted_from = '${job.id}' AND id = '${rerouteKey(unitC)}' AND state = 'queued'`)).toBe(1);
          await fabrication.settled();
          expect(fabrication.outcomes.get(rerouteKey(unitC))).toBeUndefined();
          expect(fabrication.outcomes.get(job.id)).toEqual(['release']);
        }
      } finally {
        await fabrication.close();
      }
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
      const allocations = openQueue(t, QUEUES.allocations);
      await allocations.add('decision', { roundId, requestId: b, funded: false, reason: 'the pool ran out of 3d-printing.fdm' });
      await allocations.add('decision', { roundId, requestId: b, funded: false, reason: 'the pool ran out of 3d-printing.fdm' });
      await allocations.close();
      await until(async () => (await count('allocation_decisions', `request_id = '${b}'`)) === 1, 'decision');
      const unfunded = (await t.http.get(`/production-requests/${b}`, { token: requester.token })).body;
      expect(unfunded).toMatchObject({ state: 'unfunded', reason: 'the pool ran out of 3d-printing.fdm' });
      expect(unfunded.transitions.filter((x: { to: string }) => x.to === 'unfunded')).toHaveLength(1);
    });

    it('applies a round’s funded decisions arriving together, each with its own reason, in shared transactions', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push((await post(body({ quantity: 1 + i }), requester.token)).body.id);
      const roundId = randomUUID();
      await rpc.send(PRODUCTION_PATTERNS.requestsEnterAllocation, null, { requestIds: ids, roundId });
      const fund = t.system.backends.production!.get(ProductionService).fund;
      const before = { ...fund.roundWriteStats };
      const allocations = openQueue(t, QUEUES.allocations);
      await allocations.addBulk(ids.map((requestId, i) => ({ name: 'decision', data: { roundId, requestId, funded: true, reason: `selected in round ${i + 1}` } })));
      await allocations.close();
      await until(async () => (await count('allocation_decisions', `round_id = '${roundId}'`)) === 6, 'decisions');
      for (const [i, id] of ids.entries()) {
        const view = (await t.http.get(`/production-requests/${id}`, { token: requester.token })).body;
        expect(view).toMatchObject({ state: 'funded', roundId, reason: `selected in round ${i + 1}` });
        expect(view.jobs).toHaveLength(1);
        expect(view.transitions.filter((x: { action: string }) => x.action === 'fund')).toEqual([
          expect.objectContaining({ from: 'in_allocation', to: 'funded', detail: { roundId } }),
        ]);
        const [decision] = await t.sql(`SELECT reason, outcome FROM production.allocation_decisions WHERE round_id = $1 AND request_id = $2`, [roundId, id]);
        expect(decision).toEqual({ reason: `selected in round ${i + 1}`, outcome: 'funded' });
      }
      // All six went through the round's shared writes; how many shared one depends on when each
      // placement answered (3 or 4 transactions in runs on this machine), so it is not asserted.
      expect(fund.roundWriteStats.jobs - before.jobs).toBe(6);
    });

    it('writes funded requests with reasons of their own in one transaction, one decision each', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await post(body(), requester.token)).body.id);
      const roundId = randomUUID();
      await rpc.send(PRODUCTION_PATTERNS.requestsEnterAllocation, null, { requestIds: ids, roundId });
      const fund = t.system.backends.production!.get(ProductionService).fund;
      const items = ids.map((requestId, i) => {
        const jobId = jobIdFor(requestId, 0, 0);
        const step = { stepIndex: 0, fabUnitId: unitA.id, fabUnitName: unitA.name, machineId: randomUUID(), process: '3d-printing.fdm', machineProcess: '3d-printing.fdm', material: 'pla', minutes: 30, materialQuantity: 25, materialUnit: 'g', start: NEED_BY, completion: NEED_BY };
        const reservation = { key: jobId, reservationIds: [randomUUID()], fabUnitId: unitA.id, machineId: step.machineId, slots: [], completion: NEED_BY, materialHoldId: null };
        return { requestId, placed: [{ step, jobId, reservation }], ...(i < 2 ? { reason: `reason ${i}` } : {}) };
      });
      const results = await fund.writeFunded(items, { kind: 'allocation', roundId, reason: 'the round’s reason' }, { kind: 'system', accountId: null, apiKeyId: null });
      expect(results.map((r) => r.outcome)).toEqual(['funded', 'funded', 'funded']);
      const reasons = await t.sql(`SELECT request_id, reason FROM production.allocation_decisions WHERE round_id = $1`, [roundId]);
      expect(Object.fromEntries(reasons.map((r) => [r.request_id, r.reason]))).toEqual({ [ids[0]!]: 'reason 0', [ids[1]!]: 'reason 1', [ids[2]!]: 'the round’s reason' });
      const states = await t.sql(`SELECT id, state, reason FROM production.requests WHERE id = ANY($1)`, [ids]);
      expect(Object.fromEntries(states.map((r) => [r.id, [r.state, r.reason]]))).toEqual({
        [ids[0]!]: ['funded', 'reason 0'],
        [ids[1]!]: ['funded', 'reason 1'],
        [ids[2]!]: ['funded', 'the round’s reason'],
      });
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
