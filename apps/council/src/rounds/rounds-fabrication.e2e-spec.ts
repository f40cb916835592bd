import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';
import { ALWAYS_OPEN, createUnit, eventually, fdm, LILLE, laser } from '../../../fabrication/src/e2e-fixtures.js';

const DAY = 86_400_000;

/**
 * A round against the real services: pooling checks the real operator and unit, the budget is
 * fabrication's real free capacity, the candidate is a real production request (a design from
 * commons, matched at fabrication), and the funded decision reaches production. The whole way
 * to jobs and reservations, under over-subscription and concurrency, is in
 * rounds-production.e2e-spec.ts; scripted pools and requests in rounds.e2e-spec.ts.
 */
describe('allocation rounds with the real fabrication service', () => {
  let t: TestSystem;

  beforeAll(async () => {
    t = await startTestSystem();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  }, 60_000);

  it('pools a real unit (its operator may) and snapshots its free capacity as the budget', async () => {
    const admin = await t.signUp('council-admin');
    const operator = await t.signUp('lab-operator');
    const outsider = await t.signUp('outsider');
    const unit = await createUnit(t.http, operator.token, {
      machines: [laser(), fdm()],
      openingHours: ALWAYS_OPEN,
      materials: [{ material: 'pla', quantity: 5, unit: 'kg' }],
    });
    const council = await t.http.post(
      '/councils',
      { name: 'Real pool', rules: { votingMethod: 'greedy', rates: { machineHour: { 'laser-cutting': '30', '3d-printing': '6' }, material: { pla: { unit: 'kg', rate: '25' } } } } },
      { token: admin.token },
    );
    const councilId = council.body.id;
    expect((await t.http.post(`/councils/${councilId}/fab-units`, { fabUnitId: unit.id }, { token: outsider.token })).status).toBe(403);
    expect((await t.http.post(`/councils/${councilId}/fab-units`, { fabUnitId: randomUUID() }, { token: admin.token })).status).toBe(422);
    const pooled = await t.http.post(`/councils/${councilId}/fab-units`, { fabUnitId: unit.id }, { token: operator.token });
    expect(pooled.status).toBe(201);
    expect(pooled.body.fabUnitIds).toEqual([unit.id]);

    // A whole week, starting at a UTC midnight a week from now.
    const start = Math.floor(Date.now() / DAY) * DAY + 7 * DAY;
    const from = new Date(start).toISOString();
    const to = new Date(start + 7 * DAY).toISOString();
    const round = await t.http.post(`/councils/${councilId}/rounds`, { title: 'week 10', periodFrom: from, periodTo: to, closesAt: new Date(Date.now() + 3_600_000).toISOString() }, { token: admin.token });
    expect(round.status).toBe(201);
    const capacity = await t.http.get(`/fab-units/${unit.id}/capacity?from=${from}&to=${to}`, { token: operator.token });
    expect(capacity.status).toBe(200);
    expect(round.body.budget.machineMinutes).toEqual(capacity.body.machineMinutes);
    // Always open, one week: 10,080 minutes per machine.
    expect(round.body.budget.limits).toMatchObject({ 'laser-cutting machine minutes': '10080', '3d-printing.fdm machine minutes': '10080', 'pla kg': '5' });
    // 168 h × 30 + 168 h × 6 (the FDM printer at its parent process's rate) + 5 kg × 25
    expect(round.body.budget.money).toBe('6173');

    const design = await t.http.post(
      '/designs',
      {
        title: 'Splints',
        function: 'Finger splints',
        license: 'CERN-OHL-P-2.0',
        licensors: [{ name: 'A designer' }],
        requirements: [{ process: 'FDM', material: 'PLA', envelopeMm: { x: 80, y: 30, z: 10 }, machineMinutesPerUnit: 12, materialQuantityPerUnit: 50, materialUnit: 'g' }],
      },
      { token: outsider.token },
    );
    expect(design.status).toBe(201);
    const request = await t.http.post(
      '/production-requests',
      { designVersionId: design.body.designVersionId, quantity: 10, delivery: LILLE, needBy: new Date(start + 21 * DAY).toISOString(), purpose: 'the hospital' },
      { token: operator.token, headers: { 'idempotency-key': randomUUID() } },
    );
    expect(request.status).toBe(201);
    const requestId = request.body.id as string;
    expect(request.body).toMatchObject({ state: 'submitted', costVector: { machineMinutes: { '3d-printing.fdm': 120 }, materials: { pla: { quantity: 500, unit: 'g' } } } });
    const added = await t.http.post(`/rounds/${round.body.id}/candidates`, { productionRequestId: requestId }, { token: operator.token });
    expect(added.status).toBe(201);
    // 2 h × 6 + 0.5 kg × 25
    expect(added.body.cost).toBe('24.5');
    expect((await t.http.get(`/production-requests/${requestId}`, { token: operator.token })).body).toMatchObject({ state: 'in_allocation', roundId: round.body.id });
    expect((await t.http.put(`/rounds/${round.body.id}/ballot`, { approvals: [requestId] }, { token: admin.token })).status).toBe(200);
    // A machine's API key acts for its fab unit, never as a council member.
    const key = await t.http.post(`/fab-units/${unit.id}/api-keys`, { name: 'bridge' }, { token: operator.token });
    expect(key.status).toBe(201);
    expect((await t.http.put(`/rounds/${round.body.id}/ballot`, { approvals: [requestId] }, { apiKey: key.body.key })).status).toBe(403);
    expect((await t.http.post('/councils', { name: 'by a machine' }, { apiKey: key.body.key })).status).toBe(403);
    expect((await t.http.post(`/councils/${councilId}/fab-units`, { fabUnitId: unit.id }, { apiKey: key.body.key })).status).toBe(403);

    const closed = await t.http.post(`/rounds/${round.body.id}/close`, undefined, { token: admin.token });
    expect(closed.body.funded).toEqual([requestId]);
    // Production takes the decision from the council's outbox: a job with its reservation in the period.
    const funded = await eventually(async () => {
      const view = await t.http.get(`/production-requests/${requestId}`, { token: operator.token });
      return view.body.state === 'in_allocation' ? null : view.body;
    }, 60_000);
    expect(funded).toMatchObject({ state: 'funded', roundId: round.body.id, jobs: [expect.objectContaining({ fabUnitId: unit.id, state: 'queued' })] });
    const job = await t.http.get(`/jobs/${funded.jobs[0].id}`, { apiKey: key.body.key });
    expect(job.body.reservation.slots[0].start >= from && job.body.reservation.completion <= to).toBe(true);
  }, 60_000);
});
