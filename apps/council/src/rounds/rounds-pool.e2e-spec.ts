import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';
import { DAY, MORNINGS, type Person, signUpRoundPeople, utcMidnightIn } from '../../../../test/support/production-fixtures.js';
import { createUnit, eventually, fdm, LILLE, north } from '../../../fabrication/src/e2e-fixtures.js';

jest.setTimeout(120_000);

/**
 * A round's budget is the free time of its whole pool, per process; the requests' plans each
 * name one machine. Here every plan names the same printer (lab A, the nearest), which holds
 * only part of what the round funds: production places the rest on the pool's other printer
 * (lab B), never on the nearer lab outside the pool, and a declined job goes to the pool's
 * other unit too. Every service is real.
 */
describe('a round funds its pool, not only the planned machines', () => {
  let t: TestSystem;
  let admin: Person;
  let operator: Person;
  let designer: Person;
  let requester: Person;
  let members: Person[];

  // A whole UTC day a week ahead: each lab's printer has 240 free minutes in it.
  const periodStart = utcMidnightIn(7);
  const periodFrom = new Date(periodStart).toISOString();
  const periodTo = new Date(periodStart + DAY).toISOString();
  const needBy = new Date(periodStart + 30 * DAY).toISOString();

  beforeAll(async () => {
    t = await startTestSystem();
    ({ admin, operator, designer, requester, members } = await signUpRoundPeople(t, 2));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  }, 60_000);

  const jobsOf = (requestId: string) =>
    t.sql<{ id: string; fab_unit_id: string; machine_id: string; state: string; rerouted_from: string | null }>(
      `SELECT id, fab_unit_id, machine_id, state, rerouted_from FROM production.jobs WHERE request_id = $1 ORDER BY queued_at, id`,
      [requestId],
    );
  const reservationOf = async (jobId: string) =>
    (
      await t.sql<{ from: Date; to: Date; fab_unit_id: string; minutes: number }>(
        `SELECT min(lower(during)) AS from, max(upper(during)) AS to, min(fab_unit_id::text) AS fab_unit_id,
                sum(extract(epoch FROM upper(during) - lower(during)) / 60)::float8 AS minutes
         FROM fabrication.reservations WHERE key = $1 AND released_at IS NULL`,
        [jobId],
      )
    )[0]!;
  const activeAt = async (fabUnitId: string) =>
    Number((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM fabrication.reservations WHERE fab_unit_id = $1 AND released_at IS NULL`, [fabUnitId]))[0]!.n);

  it('every funded request is reserved, the planned lab first and the rest on the pool’s other lab; a declined job stays in the pool', async () => {
    const unit = (name: string, km: number) =>
      createUnit(t.http, operator.token, {
        name,
        timezone: 'UTC',
        openingHours: MORNINGS,
        location: { ...(km ? north(km) : LILLE), city: 'Lille', country: 'fr' },
        machines: [fdm({ materials: ['pla'] })],
        materials: [{ material: 'pla', quantity: 1, unit: 'kg' }],
      });
    // Same free time everywhere: the match ranks by distance, so every plan names lab A and
    // its alternatives are the outside lab first, then lab B.
    const labA = await unit('Pool lab A', 0);
    const outside = await unit('Lab outside the pool', 5);
    const labB = await unit('Pool lab B', 20);

    const published = await t.http.post(
      '/designs',
      {
        title: 'Knob',
        function: 'a knob for the test',
        license: 'CERN-OHL-P-2.0',
        licensors: [{ name: 'Test Designer' }],
        bom: [],
        links: [],
        requirements: [
          { process: 'FDM', material: 'PLA', envelopeMm: { x: 50, y: 50, z: 20 }, machineMinutesPerUnit: 60, materialQuantityPerUnit: 20, materialUnit: 'g' },
        ],
      },
      { token: designer.token },
    );
    expect(published.status).toBe(201);
    const requests: any[] = [];
    for (let i = 0; i < 6; i++) {
      const answer = await t.http.post(
        '/production-requests',
        { designVersionId: published.body.designVersionId, quantity: 1, delivery: LILLE, needBy, purpose: `knob ${i} for the repair café` },
        { token: requester.token, headers: { 'idempotency-key': randomUUID() } },
      );
      expect(answer.status).toBe(201);
      expect(answer.body.plan.fabUnitIds).toEqual([labA.id]);
      expect(answer.body.alternatives.map((p: any) => p.fabUnitIds)).toEqual([[outside.id], [labB.id]]);
      requests.push(answer.body);
    }
    const ids = requests.map((r) => r.id as string);

    // The council pools labs A and B (not the outside lab); Equal Shares, the default rule.
    const created = await t.http.post(
      '/councils',
      { name: 'Pool of two', rules: { rates: { machineHour: { '3d-printing.fdm': '6' }, material: { pla: { unit: 'kg', rate: '25' } } } } },
      { token: admin.token },
    );
    expect(created.status).toBe(201);
    const councilId = created.body.id as string;
    for (const m of members) expect((await t.http.post(`/councils/${councilId}/members`, { accountId: m.accountId, role: 'community' }, { token: admin.token })).status).toBe(201);
    for (const u of [labA, labB]) expect((await t.http.post(`/councils/${councilId}/fab-units`, { fabUnitId: u.id }, { token: operator.token })).status).toBe(201);
    const opened = await t.http.post(
      `/councils/${councilId}/rounds`,
      { title: 'one morning of two printers', periodFrom, periodTo, closesAt: new Date(Date.now() + 3_600_000).toISOString() },
      { token: admin.token },
    );
    expect(opened.status).toBe(201);
    const roundId = opened.body.id as string;
    // 480 pooled minutes: 360 asked for fit the pool, though not lab A's 240.
    expect(opened.body.budget.machineMinutes).toEqual({ '3d-printing.fdm': 480 });
    expect(opened.body.budget.fabUnitIds).toEqual([labA.id, labB.id].sort());
    for (const id of ids) expect((await t.http.post(`/rounds/${roundId}/candidates`, { productionRequestId: id }, { token: requester.token })).status).toBe(201);
    for (const who of [admin, ...members]) expect((await t.http.put(`/rounds/${roundId}/ballot`, { approvals: ids }, { token: who.token })).status).toBe(200);
    const closed = await t.http.post(`/rounds/${roundId}/close`, undefined, { token: admin.token });
    expect(closed.status).toBe(200);
    expect([...closed.body.funded].sort()).toEqual([...ids].sort());

    // Production applies all six: every one funded, none failed.
    const states = await eventually(async () => {
      const rows = await t.sql<{ id: string; state: string; reason: string | null; pool_fab_unit_ids: string[] | null }>(
        `SELECT id, state, reason, pool_fab_unit_ids FROM production.requests WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      return rows.every((r) => r.state !== 'in_allocation') ? new Map(rows.map((r) => [r.id, r])) : null;
    }, 60_000);
    for (const id of ids) {
      expect(states.get(id)).toMatchObject({ state: 'funded' });
      // The pool is kept with the request: a declined job is rerouted inside it.
      expect(states.get(id)!.pool_fab_unit_ids).toEqual([labA.id, labB.id].sort());
    }
    const outcomes = await t.sql<{ outcome: string }>(`SELECT outcome FROM production.allocation_decisions WHERE round_id = $1`, [roundId]);
    expect(outcomes.map((o) => o.outcome)).toEqual(Array(6).fill('funded'));

    // Lab A's morning holds four of the hour-long jobs; the two others went to lab B.
    const jobs = new Map<string, Awaited<ReturnType<typeof jobsOf>>>();
    for (const id of ids) jobs.set(id, await jobsOf(id));
    const units = [...jobs.values()].flat().map((j) => j.fab_unit_id);
    expect(units.filter((u) => u === labA.id)).toHaveLength(4);
    expect(units.filter((u) => u === labB.id)).toHaveLength(2);
    expect(await activeAt(outside.id)).toBe(0);
    for (const [, [job]] of jobs) {
      const slot = await reservationOf(job!.id);
      expect(slot).toMatchObject({ fab_unit_id: job!.fab_unit_id, minutes: 60 });
      expect(slot.from.getTime()).toBeGreaterThanOrEqual(periodStart);
      expect(slot.to.getTime()).toBeLessThanOrEqual(periodStart + DAY);
    }
    // Within the round's budget, in its period and pool, no machine booked twice.
    const reserved = await t.sql<{ minutes: number; strays: string }>(
      `SELECT sum(extract(epoch FROM upper(r.during) - lower(r.during)) / 60)::float8 AS minutes,
              count(*) FILTER (WHERE lower(r.during) < rd.period_from OR upper(r.during) > rd.period_to
                                 OR NOT (rd.budget -> 'fabUnitIds') ? r.fab_unit_id::text) AS strays
       FROM council.rounds rd
       JOIN production.requests q ON q.round_id = rd.id
       JOIN production.jobs j ON j.request_id = q.id
       JOIN fabrication.reservations r ON r.key = j.id::text AND r.released_at IS NULL
       WHERE rd.id = $1`,
      [roundId],
    );
    expect(reserved[0]).toEqual({ minutes: 360, strays: '0' });
    expect(reserved[0]!.minutes).toBeLessThanOrEqual(opened.body.budget.machineMinutes['3d-printing.fdm']);
    const overlaps = await t.sql(
      `SELECT 1 FROM fabrication.reservations a JOIN fabrication.reservations b
         ON a.machine_id = b.machine_id AND a.id < b.id AND a.during && b.during
       WHERE a.released_at IS NULL AND b.released_at IS NULL`,
    );
    expect(overlaps).toHaveLength(0);

    // A moved request says so: in its reason and on its fund transition.
    const moved = ids.filter((id) => jobs.get(id)![0]!.fab_unit_id === labB.id);
    for (const id of moved) {
      expect(states.get(id)!.reason).toContain("step 1 (60 minutes of 3d-printing.fdm) moved from Pool lab A, the planned unit, to Pool lab B, another unit of the round's pool");
      const view = await t.http.get(`/production-requests/${id}`, { token: requester.token });
      expect(view.status).toBe(200);
      const fund = view.body.transitions.find((tr: any) => tr.action === 'fund');
      expect(fund.detail).toEqual({
        roundId,
        moved: [
          {
            stepIndex: 0,
            process: '3d-printing.fdm',
            minutes: 60,
            from: { fabUnitId: labA.id, fabUnitName: 'Pool lab A', machineId: requests.find((r) => r.id === id).plan.steps[0].machineId },
            to: { fabUnitId: labB.id, fabUnitName: 'Pool lab B', machineId: jobs.get(id)![0]!.machine_id },
          },
        ],
      });
    }
    for (const id of ids.filter((i) => !moved.includes(i))) expect(states.get(id)!.reason).not.toContain('moved');

    // Lab A declines one of its jobs: the outside lab is the request's first alternative and
    // nearer, but not in the pool; lab B, which has an hour left in the period, takes it.
    const atA = ids.map((id) => jobs.get(id)![0]!).find((j) => j.fab_unit_id === labA.id)!;
    const declined = await t.http.post(`/jobs/${atA.id}/decline`, { reason: 'Extruder clogged' }, { token: operator.token });
    expect(declined.status).toBe(200);
    const afterA = await t.sql<{ id: string; fab_unit_id: string; state: string; request_id: string }>(
      `SELECT id, fab_unit_id, state, request_id FROM production.jobs WHERE rerouted_from = $1`,
      [atA.id],
    );
    expect(afterA).toHaveLength(1);
    expect(afterA[0]).toMatchObject({ fab_unit_id: labB.id, state: 'queued' });
    const toB = await reservationOf(afterA[0]!.id);
    expect(toB.fab_unit_id).toBe(labB.id);
    expect(toB.from.getTime()).toBeGreaterThanOrEqual(periodStart);
    expect(toB.to.getTime()).toBeLessThanOrEqual(periodStart + DAY);
    expect(await activeAt(outside.id)).toBe(0);

    // Lab A's hour comes free once fabrication has released the declined job's reservation.
    await eventually(async () => (await t.sql(`SELECT 1 FROM fabrication.reservations WHERE key = $1 AND released_at IS NULL`, [atA.id])).length === 0, 30_000);
    // Lab B declines a job that was moved to it at funding: its alternatives in the pool are
    // used up (lab B), so the pool's ranking finds lab A — the plan's own lab — with that hour.
    const atB = jobs.get(moved[0]!)![0]!;
    expect((await t.http.post(`/jobs/${atB.id}/decline`, { reason: 'Power cut' }, { token: operator.token })).status).toBe(200);
    const afterB = await t.sql<{ id: string; fab_unit_id: string; state: string }>(`SELECT id, fab_unit_id, state FROM production.jobs WHERE rerouted_from = $1`, [atB.id]);
    expect(afterB).toHaveLength(1);
    expect(afterB[0]).toMatchObject({ fab_unit_id: labA.id, state: 'queued' });
    const backToA = await reservationOf(afterB[0]!.id);
    expect(backToA.from.getTime()).toBeGreaterThanOrEqual(periodStart);
    expect(backToA.to.getTime()).toBeLessThanOrEqual(periodStart + DAY);
    expect(await activeAt(outside.id)).toBe(0);
    for (const id of ids) expect((await t.sql<{ state: string }>(`SELECT state FROM production.requests WHERE id = $1`, [id]))[0]!.state).toBe('funded');

    // Lab A declines the job it just took back: lab B declined this step already and lab A has
    // too now; the outside lab is never asked. The request fails, naming the period and the pool.
    expect((await t.http.post(`/jobs/${afterB[0]!.id}/decline`, {}, { token: operator.token })).status).toBe(200);
    const failed = (await t.sql<{ state: string; reason: string }>(`SELECT state, reason FROM production.requests WHERE id = $1`, [moved[0]]))[0]!;
    expect(failed.state).toBe('failed');
    expect(failed.reason).toContain(
      `job ${afterB[0]!.id} was declined by its unit and no other candidate could take step 1 inside the round's period (${periodFrom} to ${periodTo}) on the machines of the round's pool (60 minutes of 3d-printing.fdm; its 2 units: 2 declined it or tried before, 0 tried)`,
    );
    expect(await activeAt(outside.id)).toBe(0);
  });
});
