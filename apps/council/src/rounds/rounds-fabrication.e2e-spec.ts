import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestMicroservice } from '@nestjs/common';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';
import { ALWAYS_OPEN, createUnit, fdm, laser } from '../../../fabrication/src/e2e-fixtures.js';
import { newPeerState, startPeerStubs } from '../testing/peer-stubs.js';

/**
 * A round against the real fabrication service: pooling checks the real operator and unit, the
 * budget is fabrication's real free capacity. Production is still a transport stub (its
 * allocation handlers are being written).
 */
describe('allocation rounds with the real fabrication service', () => {
  let t: TestSystem;
  let peers: INestMicroservice;
  const state = newPeerState();

  beforeAll(async () => {
    t = await startTestSystem({ services: ['gateway', 'fabrication', 'council'] });
    peers = await startPeerStubs(t.config, state, { fabrication: false, production: true });
  }, 60_000);
  afterAll(async () => {
    await peers?.close();
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

    const from = '2026-03-02T00:00:00.000Z';
    const to = '2026-03-09T00:00:00.000Z';
    const round = await t.http.post(`/councils/${councilId}/rounds`, { title: 'week 10', periodFrom: from, periodTo: to, closesAt: new Date(Date.now() + 3_600_000).toISOString() }, { token: admin.token });
    expect(round.status).toBe(201);
    const capacity = await t.http.get(`/fab-units/${unit.id}/capacity?from=${from}&to=${to}`, { token: operator.token });
    expect(capacity.status).toBe(200);
    expect(round.body.budget.machineMinutes).toEqual(capacity.body.machineMinutes);
    // Always open, one week: 10,080 minutes per machine.
    expect(round.body.budget.limits).toMatchObject({ 'laser-cutting machine minutes': '10080', '3d-printing.fdm machine minutes': '10080', 'pla kg': '5' });
    // 168 h × 30 + 168 h × 6 (the FDM printer at its parent process's rate) + 5 kg × 25
    expect(round.body.budget.money).toBe('6173');

    const requestId = randomUUID();
    state.requests.set(requestId, {
      id: requestId,
      requesterId: operator.accountId,
      designVersionId: randomUUID(),
      title: 'Splints',
      quantity: 10,
      purpose: 'the hospital',
      needBy: '2026-03-20T00:00:00Z',
      state: 'submitted',
      fabUnitIds: [unit.id],
      costVector: { machineMinutes: { 'laser-cutting': 120 }, materials: { pla: { quantity: 500, unit: 'g' } } },
    });
    const added = await t.http.post(`/rounds/${round.body.id}/candidates`, { productionRequestId: requestId }, { token: operator.token });
    expect(added.status).toBe(201);
    expect(added.body.cost).toBe('72.5');
    expect((await t.http.put(`/rounds/${round.body.id}/ballot`, { approvals: [requestId] }, { token: admin.token })).status).toBe(200);
    // A machine's API key acts for its fab unit, never as a council member.
    const key = await t.http.post(`/fab-units/${unit.id}/api-keys`, { name: 'bridge' }, { token: operator.token });
    expect(key.status).toBe(201);
    expect((await t.http.put(`/rounds/${round.body.id}/ballot`, { approvals: [requestId] }, { apiKey: key.body.key })).status).toBe(403);
    expect((await t.http.post('/councils', { name: 'by a machine' }, { apiKey: key.body.key })).status).toBe(403);
    expect((await t.http.post(`/councils/${councilId}/fab-units`, { fabUnitId: unit.id }, { apiKey: key.body.key })).status).toBe(403);

    const closed = await t.http.post(`/rounds/${round.body.id}/close`, undefined, { token: admin.token });
    expect(closed.body.funded).toEqual([requestId]);
  }, 60_000);
});
