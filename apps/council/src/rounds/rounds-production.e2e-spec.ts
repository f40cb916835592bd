import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { QUEUES } from '#libs/contracts/src/index.js';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';
import { DAY, MORNINGS, type Person, signUpRoundPeople, utcMidnightIn } from '../../../../test/support/production-fixtures.js';
import { createUnit, eventually, fdm, LILLE, laser, north } from '../../../fabrication/src/e2e-fixtures.js';

jest.setTimeout(120_000);

/**
 * From the council's round to production's jobs with every service real (no stubs): fab units
 * with machines, stock and opening hours at fabrication, designs with manufacturing requirements
 * in commons, pooled production requests matched at production, a council whose member units
 * pool them; the round's budget is fabrication's free capacity over the period, members vote,
 * an admin closes early, and the decisions travel council outbox → BullMQ → production, which
 * turns each funded candidate into jobs with reservations and marks the others unfunded.
 *
 * The invariants are checked in SQL across the schemas: what the round's jobs hold at
 * fabrication (reserved minutes per process, held material) never exceeds the round's
 * snapshotted budget, lies inside its period and its pool, and no machine is booked twice, also
 * when two councils pooling the same unit fund the same machine time at the same moment.
 */
describe('allocation rounds through production, all services real', () => {
  let t: TestSystem;
  let admin: Person;
  let operator: Person;
  let designer: Person;
  let requester: Person;
  let members: Person[];

  // A whole UTC day a week ahead: the round allocates that day's machine time.
  const periodStart = utcMidnightIn(7);
  const period = (offsetDays = 0) => ({
    periodFrom: new Date(periodStart + offsetDays * DAY).toISOString(),
    periodTo: new Date(periodStart + (offsetDays + 1) * DAY).toISOString(),
  });
  const needBy = new Date(periodStart + 30 * DAY).toISOString();
  const closesAt = () => new Date(Date.now() + 3_600_000).toISOString();

  beforeAll(async () => {
    t = await startTestSystem();
    ({ admin, operator, designer, requester, members } = await signUpRoundPeople(t, 4));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  }, 60_000);

  const publish = async (title: string, requirements: Record<string, unknown>[]): Promise<string> => {
    const answer = await t.http.post(
      '/designs',
      { title, function: `${title} for the test`, license: 'CERN-OHL-P-2.0', licensors: [{ name: 'Test Designer' }], bom: [], links: [], requirements },
      { token: designer.token },
    );
    expect(answer.status).toBe(201);
    return answer.body.designVersionId;
  };
  const fdmStep = (material: string, minutes: number, grams: number) => ({
    process: 'FDM',
    material,
    envelopeMm: { x: 50, y: 50, z: 20 },
    machineMinutesPerUnit: minutes,
    materialQuantityPerUnit: grams,
    materialUnit: 'g',
  });
  const submit = async (designVersionId: string, quantity: number, purpose: string): Promise<any> => {
    const answer = await t.http.post(
      '/production-requests',
      { designVersionId, quantity, delivery: LILLE, needBy, purpose },
      { token: requester.token, headers: { 'idempotency-key': randomUUID() } },
    );
    expect(answer.status).toBe(201);
    expect(answer.body.state).toBe('submitted');
    return answer.body;
  };
  const council = async (name: string, rates: Record<string, unknown>, fabUnitIds: string[], voters: Person[]): Promise<string> => {
    const created = await t.http.post('/councils', { name, rules: { votingMethod: 'greedy', rates } }, { token: admin.token });
    expect(created.status).toBe(201);
    for (const m of voters) {
      expect((await t.http.post(`/councils/${created.body.id}/members`, { accountId: m.accountId, role: 'community' }, { token: admin.token })).status).toBe(201);
    }
    for (const id of fabUnitIds) {
      expect((await t.http.post(`/councils/${created.body.id}/fab-units`, { fabUnitId: id }, { token: operator.token })).status).toBe(201);
    }
    return created.body.id;
  };
  const addCandidates = async (roundId: string, requestIds: string[]) => {
    for (const id of requestIds) {
      const added = await t.http.post(`/rounds/${roundId}/candidates`, { productionRequestId: id }, { token: requester.token });
      expect(added.status).toBe(201);
    }
  };
  /** Polls until production has applied every decision (no request left in allocation). */
  const settled = (ids: string[]) =>
    eventually(async () => {
      const rows = await t.sql<{ id: string; state: string; reason: string | null; round_id: string | null }>(
        `SELECT id, state, reason, round_id FROM production.requests WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      return rows.length === ids.length && rows.every((r) => r.state !== 'in_allocation') ? new Map(rows.map((r) => [r.id, r])) : null;
    }, 60_000);
  const jobsOf = (requestId: string) =>
    t.sql<{ id: string; step_index: number; fab_unit_id: string; machine_id: string; minutes: number; material: string; material_quantity: string; reservation: any; state: string }>(
      `SELECT id, step_index, fab_unit_id, machine_id, minutes, material, material_quantity, reservation, state FROM production.jobs WHERE request_id = $1 ORDER BY step_index`,
      [requestId],
    );

  /** Machine minutes reserved for a round's jobs, per process, beside the round's budget for it. */
  const reservedByProcess = (roundId: string) =>
    t.sql<{ process: string; minutes: number; budget: number | null }>(
      `SELECT m.process,
              sum(extract(epoch FROM upper(r.during) - lower(r.during)) / 60)::float8 AS minutes,
              (rd.budget -> 'machineMinutes' ->> m.process)::float8 AS budget
       FROM council.rounds rd
       JOIN production.requests q ON q.round_id = rd.id
       JOIN production.jobs j ON j.request_id = q.id
       JOIN fabrication.reservations r ON r.key = j.id::text AND r.released_at IS NULL
       JOIN fabrication.machines m ON m.id = r.machine_id
       WHERE rd.id = $1
       GROUP BY m.process, rd.budget`,
      [roundId],
    );
  /** Material held for a round's jobs, per material, beside the round's pooled stock of it. */
  const heldByMaterial = (roundId: string) =>
    t.sql<{ material: string; unit: string; held: number; budget: number | null; budget_unit: string | null }>(
      `SELECT h.material, h.unit, sum(h.quantity)::float8 AS held,
              (rd.budget -> 'materials' -> h.material ->> 'quantity')::float8 AS budget,
              rd.budget -> 'materials' -> h.material ->> 'unit' AS budget_unit
       FROM council.rounds rd
       JOIN production.requests q ON q.round_id = rd.id
       JOIN production.jobs j ON j.request_id = q.id
       JOIN fabrication.material_holds h ON h.key = j.id::text AND h.released_at IS NULL
       WHERE rd.id = $1
       GROUP BY h.material, h.unit, rd.budget`,
      [roundId],
    );
  /** A round's reservations outside its period or outside its pool of units: none, ever. */
  const strayReservations = async (roundId: string) =>
    Number(
      (
        await t.sql<{ n: string }>(
          `SELECT count(*) AS n
           FROM council.rounds rd
           JOIN production.requests q ON q.round_id = rd.id
           JOIN production.jobs j ON j.request_id = q.id
           JOIN fabrication.reservations r ON r.key = j.id::text AND r.released_at IS NULL
           WHERE rd.id = $1
             AND (lower(r.during) < rd.period_from OR upper(r.during) > rd.period_to
                  OR NOT (rd.budget -> 'fabUnitIds') ? r.fab_unit_id::text)`,
          [roundId],
        )
      )[0]!.n,
    );
  /** Pairs of active reservations of one machine that overlap: the exclusion constraint says none. */
  const overlaps = async () =>
    Number(
      (
        await t.sql<{ n: string }>(
          `SELECT count(*) AS n FROM fabrication.reservations a
           JOIN fabrication.reservations b ON a.machine_id = b.machine_id AND a.id < b.id AND a.during && b.during
           WHERE a.released_at IS NULL AND b.released_at IS NULL`,
        )
      )[0]!.n,
    );

  it('funds within every pooled resource, makes jobs with reservations inside the budget and the period, marks the rest unfunded', async () => {
    // Lab 1: a laser cutter and a PLA printer; lab 2: a PETG printer. Each machine has 240 free
    // minutes in the period; the stock is what the labs hold.
    const lab1 = await createUnit(t.http, operator.token, {
      name: 'Lab one',
      timezone: 'UTC',
      openingHours: MORNINGS,
      machines: [laser({ materials: ['plywood'] }), fdm({ materials: ['pla'] })],
      materials: [
        { material: 'pla', quantity: 1, unit: 'kg' },
        { material: 'plywood', quantity: 1, unit: 'm2' },
      ],
    });
    const lab2 = await createUnit(t.http, operator.token, {
      name: 'Lab two',
      timezone: 'UTC',
      openingHours: MORNINGS,
      machines: [fdm({ materials: ['petg'] })],
      materials: [{ material: 'petg', quantity: 1, unit: 'kg' }],
    });

    const bracket = await publish('Bracket', [fdmStep('PLA', 60, 100)]);
    const clip = await publish('Clip', [fdmStep('PETG', 60, 100)]);
    const sign = await publish('Sign', [
      { process: 'laser-cutting', material: 'plywood', envelopeMm: { x: 300, y: 200, z: 4 }, machineMinutesPerUnit: 40, materialQuantityPerUnit: 0.1, materialUnit: 'm2' },
      fdmStep('PLA', 20, 50),
    ]);

    // Laser 240 min, FDM 480 (two printers): asked for are laser 280 and FDM 660.
    const A = await submit(bracket, 1, 'A: a bracket for the pump house'); // lab 1: FDM 60, PLA 100 g
    const B = await submit(clip, 3, 'B: clips for the greenhouse'); // lab 2: FDM 180, PETG 300 g
    const C = await submit(sign, 3, 'C: signs for the trail'); // lab 1: laser 120, plywood 0.3 m2, FDM 60, PLA 150 g
    const D = await submit(sign, 4, 'D: signs for the school'); // lab 1: laser 160: no laser time left after C
    const E = await submit(clip, 1, 'E: a clip for the library'); // lab 2: FDM 60
    const F = await submit(clip, 4, 'F: clips for the market'); // lab 2: FDM 240: no FDM time left after A, B, C
    expect(A.plan.fabUnitIds).toEqual([lab1.id]);
    expect(C.plan.fabUnitIds).toEqual([lab1.id]);
    expect(B.plan.fabUnitIds).toEqual([lab2.id]);
    expect(C.plan.steps).toHaveLength(2);

    const councilId = await council(
      'Two labs',
      {
        machineHour: { 'laser-cutting': '12', '3d-printing.fdm': '6' },
        material: { pla: { unit: 'kg', rate: '25' }, petg: { unit: 'kg', rate: '30' }, plywood: { unit: 'm2', rate: '10' } },
      },
      [lab1.id, lab2.id],
      members,
    );
    const { periodFrom, periodTo } = period();
    const opened = await t.http.post(`/councils/${councilId}/rounds`, { title: 'next week, one morning', periodFrom, periodTo, closesAt: closesAt() }, { token: admin.token });
    expect(opened.status).toBe(201);
    const roundId = opened.body.id as string;

    // The budget is fabrication's free capacity of the member units over the period, snapshotted.
    const capacity = await Promise.all(
      [lab1, lab2].map(async (u) => (await t.http.get(`/fab-units/${u.id}/capacity?from=${periodFrom}&to=${periodTo}`, { token: operator.token })).body),
    );
    expect(capacity[0].machineMinutes).toEqual({ 'laser-cutting': 240, '3d-printing.fdm': 240 });
    expect(opened.body.budget.machineMinutes).toEqual({ 'laser-cutting': 240, '3d-printing.fdm': 480 });
    expect(opened.body.budget.fabUnitIds).toEqual([lab1.id, lab2.id].sort());
    expect(opened.body.budget.limits).toEqual({
      'laser-cutting machine minutes': '240',
      '3d-printing.fdm machine minutes': '480',
      'pla kg': '1',
      'petg kg': '1',
      'plywood m2': '1',
    });
    // 4 h × 12 + 8 h × 6 + 1 kg × 25 + 1 kg × 30 + 1 m² × 10
    expect(opened.body.budget.money).toBe('161');

    await addCandidates(roundId, [A.id, B.id, C.id, D.id, E.id, F.id]);
    const ballots: [Person, string[]][] = [
      [admin, [A.id, B.id, C.id, D.id]],
      [members[0]!, [A.id, B.id, C.id, F.id]],
      [members[1]!, [A.id, B.id, C.id, D.id, F.id]],
      [members[2]!, [A.id, B.id, E.id]],
    ];
    for (const [who, approvals] of ballots) expect((await t.http.put(`/rounds/${roundId}/ballot`, { approvals }, { token: who.token })).status).toBe(200);

    const closed = await t.http.post(`/rounds/${roundId}/close`, undefined, { token: admin.token });
    expect(closed.status).toBe(200);
    const funded = [A.id, B.id, C.id, E.id].sort();
    expect([...closed.body.funded].sort()).toEqual(funded);
    const outcome = (id: string) => closed.body.candidates.find((c: any) => c.productionRequestId === id);
    expect(outcome(D.id)).toMatchObject({ funded: false, votes: 2, shortResource: 'laser-cutting machine minutes' });
    expect(outcome(D.id).reason).toContain('needs 160, 120 left');
    expect(outcome(F.id)).toMatchObject({ funded: false, votes: 2, shortResource: '3d-printing.fdm machine minutes' });

    const states = await settled([A.id, B.id, C.id, D.id, E.id, F.id]);
    for (const r of [A, B, C, E]) {
      expect(states.get(r.id)).toMatchObject({ state: 'funded', round_id: roundId });
      // One job per step of the plan, each holding its reservation (machine time + material) at fabrication.
      const jobs = await jobsOf(r.id);
      expect(jobs.map((j) => j.step_index)).toEqual(r.plan.steps.map((s: { stepIndex: number }) => s.stepIndex));
      for (const job of jobs) {
        expect(job.state).toBe('queued');
        expect(job.reservation.reservationIds.length).toBeGreaterThan(0);
        const reserved = await t.sql<{ minutes: number; machine_id: string }>(
          `SELECT sum(extract(epoch FROM upper(during) - lower(during)) / 60)::float8 AS minutes, min(machine_id::text) AS machine_id
           FROM fabrication.reservations WHERE key = $1 AND released_at IS NULL`,
          [job.id],
        );
        expect(reserved[0]).toEqual({ minutes: job.minutes, machine_id: job.machine_id });
        expect(await t.sql(`SELECT 1 FROM fabrication.material_holds WHERE key = $1 AND released_at IS NULL AND consumed_at IS NULL`, [job.id])).toHaveLength(1);
        // Its queue entry went through production's outbox: a row of its own, or an entry of its unit's fan-out row.
        expect(
          await t.sql(`SELECT 1 FROM production.outbox WHERE queue = $1 AND (job_id = $2 OR entries @> jsonb_build_array(jsonb_build_object('jobId', $2::text)))`, [
            QUEUES.fabUnit(job.fab_unit_id),
            job.id,
          ]),
        ).toHaveLength(1);
      }
      const view = await t.http.get(`/production-requests/${r.id}`, { token: requester.token });
      expect(view.body).toMatchObject({ state: 'funded', roundId });
    }
    for (const [r, resource] of [
      [D, 'laser-cutting machine minutes'],
      [F, '3d-printing.fdm machine minutes'],
    ] as const) {
      expect(states.get(r.id)).toMatchObject({ state: 'unfunded', round_id: roundId });
      expect(states.get(r.id)!.reason).toContain(resource);
      expect(await jobsOf(r.id)).toHaveLength(0);
    }
    const decisions = await t.sql<{ request_id: string; outcome: string }>(`SELECT request_id, outcome FROM production.allocation_decisions WHERE round_id = $1`, [roundId]);
    expect(Object.fromEntries(decisions.map((d) => [d.request_id, d.outcome]))).toEqual({
      [A.id]: 'funded',
      [B.id]: 'funded',
      [C.id]: 'funded',
      [E.id]: 'funded',
      [D.id]: 'unfunded',
      [F.id]: 'unfunded',
    });

    // What the round's jobs hold never exceeds what the round had, and lies in its period and pool.
    const byProcess = Object.fromEntries((await reservedByProcess(roundId)).map((r) => [r.process, r]));
    expect(byProcess).toEqual({
      'laser-cutting': { process: 'laser-cutting', minutes: 120, budget: 240 },
      '3d-printing.fdm': { process: '3d-printing.fdm', minutes: 360, budget: 480 },
    });
    for (const r of Object.values(byProcess)) expect(r.minutes).toBeLessThanOrEqual(r.budget!);
    const held = await heldByMaterial(roundId);
    expect(held.map((h) => [h.material, h.held]).sort()).toEqual([
      ['petg', 0.4],
      ['pla', 0.25],
      ['plywood', 0.3],
    ]);
    for (const h of held) {
      expect(h.unit).toBe(h.budget_unit);
      expect(h.held).toBeLessThanOrEqual(h.budget!);
    }
    expect(await strayReservations(roundId)).toBe(0);
    expect(await overlaps()).toBe(0);

    // The database refuses a second booking of a reserved slot whatever the application does.
    const [slot] = await t.sql<{ machine_id: string; fab_unit_id: string; during: string }>(
      `SELECT machine_id, fab_unit_id, during::text FROM fabrication.reservations WHERE key = $1`,
      [(await jobsOf(B.id))[0]!.id],
    );
    await expect(
      t.sql(`INSERT INTO fabrication.reservations (machine_id, fab_unit_id, kind, during) VALUES ($1, $2, 'manual', $3::tstzrange)`, [
        slot!.machine_id,
        slot!.fab_unit_id,
        slot!.during,
      ]),
    ).rejects.toThrow(/reservations_no_overlap/);

    // E's requester withdraws it after the round: the result says so beside the tally's "funded".
    expect((await t.http.post(`/production-requests/${E.id}/cancel`, undefined, { token: requester.token })).status).toBe(200);
    // The requester reads production's reason for their own request; the public sees the state only.
    const shown = await t.http.get(`/rounds/${roundId}/result`, { token: requester.token });
    expect(shown.status).toBe(200);
    const shownOf = (id: string) => shown.body.candidates.find((c: any) => c.productionRequestId === id);
    expect(shownOf(E.id)).toMatchObject({ funded: true, production: { state: 'cancelled', reason: 'cancelled by the requester', decision: 'funded', roundId } });
    const anonymous = (await t.http.get(`/rounds/${roundId}/result`)).body.candidates.find((c: any) => c.productionRequestId === E.id);
    expect(anonymous).toMatchObject({ funded: true, production: { state: 'cancelled', reason: null, reasonWithheld: true, decision: 'funded' } });
    expect(shownOf(A.id)).toMatchObject({ funded: true, production: { state: 'funded', decision: 'funded' } });
    expect(shownOf(D.id)).toMatchObject({ funded: false, production: { state: 'unfunded', decision: 'unfunded' } });
    expect(shown.body.digest).toBe(closed.body.digest);
    expect(shown.body.funded).toEqual(closed.body.funded);
  });

  it('two councils pooling one printer close at once: the machine is never double-booked, the candidates left without time fail with the reason', async () => {
    // One printer with 240 free minutes in the period, pooled by two councils: each round's
    // budget is those same 240 minutes, and each funds 240 minutes of work.
    const shared = await createUnit(t.http, operator.token, {
      name: 'Shared lab',
      timezone: 'UTC',
      openingHours: MORNINGS,
      machines: [fdm({ materials: ['tpu'] })],
      materials: [{ material: 'tpu', quantity: 1, unit: 'kg' }],
    });
    const gasket = await publish('Gasket', [fdmStep('TPU', 60, 20)]);
    const rates = { machineHour: { '3d-printing.fdm': '6' }, material: { tpu: { unit: 'kg', rate: '20' } } };
    const north = await council('North', rates, [shared.id], [members[0]!]);
    const south = await council('South', rates, [shared.id], [members[1]!]);
    const fab = await t.sql<{ council_ids: string[] }>(`SELECT council_ids FROM fabrication.fab_units WHERE id = $1`, [shared.id]);
    expect([...fab[0]!.council_ids].sort()).toEqual([north, south].sort());

    const { periodFrom, periodTo } = period(1);
    const rounds: string[] = [];
    const requests: string[] = [];
    for (const [councilId, name] of [
      [north, 'north'],
      [south, 'south'],
    ] as const) {
      const opened = await t.http.post(`/councils/${councilId}/rounds`, { title: `${name}: shared printer`, periodFrom, periodTo, closesAt: closesAt() }, { token: admin.token });
      expect(opened.status).toBe(201);
      expect(opened.body.budget.machineMinutes).toEqual({ '3d-printing.fdm': 240 });
      const mine = [(await submit(gasket, 2, `${name} gaskets, first`)).id, (await submit(gasket, 2, `${name} gaskets, second`)).id];
      await addCandidates(opened.body.id, mine);
      expect((await t.http.put(`/rounds/${opened.body.id}/ballot`, { approvals: mine }, { token: admin.token })).status).toBe(200);
      rounds.push(opened.body.id);
      requests.push(...mine);
    }

    const closed = await Promise.all(rounds.map((id) => t.http.post(`/rounds/${id}/close`, undefined, { token: admin.token })));
    // Each council funded its 240 minutes: 480 minutes of work for 240 minutes of machine time.
    for (const c of closed) {
      expect(c.status).toBe(200);
      expect(c.body.funded).toHaveLength(2);
    }

    const states = await settled(requests);
    const funded = requests.filter((id) => states.get(id)!.state === 'funded');
    const failed = requests.filter((id) => states.get(id)!.state === 'failed');
    // The machine's 240 minutes hold exactly two of the four 120-minute jobs, whoever came first.
    expect(funded).toHaveLength(2);
    expect(failed).toHaveLength(2);
    for (const id of failed) {
      expect(states.get(id)!.reason).toMatch(/^No reservation could be placed at Shared lab: No 120 free minutes for 3d-printing\.fdm at Shared lab between/);
      expect(states.get(id)!.reason).toContain(`and ${periodTo}`);
      // Before failing it tried the rest of the pool (here the same printer): the reason says so.
      expect(states.get(id)!.reason).toContain(
        `; nor on any other machine of the round's pool for step 1, 120 minutes of 3d-printing.fdm inside the round's period (${periodFrom} to ${periodTo}): its 1 unit: 1 tried`,
      );
      expect(await jobsOf(id)).toHaveLength(0);
    }
    for (const id of funded) {
      const jobs = await jobsOf(id);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]!.reservation.reservationIds.length).toBeGreaterThan(0);
    }
    const outcomes = await t.sql<{ outcome: string; n: string }>(
      `SELECT outcome, count(*) AS n FROM production.allocation_decisions WHERE round_id = ANY($1::uuid[]) GROUP BY outcome ORDER BY outcome`,
      [rounds],
    );
    expect(outcomes).toEqual([
      { outcome: 'failed', n: '2' },
      { outcome: 'funded', n: '2' },
    ]);

    // Nothing beyond the machine's time: 240 minutes reserved in the period, 40 g of TPU held per job.
    const active = await t.sql<{ minutes: number; n: string; first: Date; last: Date }>(
      `SELECT sum(extract(epoch FROM upper(during) - lower(during)) / 60)::float8 AS minutes, count(DISTINCT key) AS n,
              min(lower(during)) AS first, max(upper(during)) AS last
       FROM fabrication.reservations WHERE fab_unit_id = $1 AND released_at IS NULL`,
      [shared.id],
    );
    expect(active[0]).toMatchObject({ minutes: 240, n: '2' });
    expect(new Date(active[0]!.first).getTime()).toBeGreaterThanOrEqual(Date.parse(periodFrom));
    expect(new Date(active[0]!.last).getTime()).toBeLessThanOrEqual(Date.parse(periodTo));
    const holds = await t.sql<{ held: number }>(`SELECT sum(quantity)::float8 AS held FROM fabrication.material_holds WHERE fab_unit_id = $1 AND released_at IS NULL`, [shared.id]);
    expect(holds[0]!.held).toBeCloseTo(0.08, 9);
    for (const id of rounds) {
      for (const r of await reservedByProcess(id)) expect(r.minutes).toBeLessThanOrEqual(r.budget!);
      expect(await strayReservations(id)).toBe(0);
    }
    expect(await overlaps()).toBe(0);

    // Each round's result still says what the vote decided, and shows beside it what production
    // made of it: two of the four funded candidates failed, with production's reason.
    for (const [i, id] of rounds.entries()) {
      const shown = await t.http.get(`/rounds/${id}/result`, { token: admin.token });
      expect(shown.status).toBe(200);
      expect(shown.body.production).toEqual({ readAt: expect.any(String) });
      expect(shown.body.funded).toEqual(closed[i]!.body.funded);
      expect(shown.body.digest).toBe(closed[i]!.body.digest);
      for (const c of shown.body.candidates) {
        expect(c.funded).toBe(true);
        const request = states.get(c.productionRequestId)!;
        expect(c.production).toEqual({ state: request.state, reason: request.reason, decision: request.state, roundId: id, updatedAt: expect.any(String) });
        if (request.state === 'failed') expect(c.production.reason).toMatch(/^No reservation could be placed at Shared lab/);
      }
      // The stored tally is the vote's record: production's side is not written into it.
      const stored = await t.sql<{ result: any }>(`SELECT result FROM council.rounds WHERE id = $1`, [id]);
      expect(stored[0]!.result).toEqual(closed[i]!.body);
    }
    expect(
      (await Promise.all(rounds.map(async (id) => (await t.http.get(`/rounds/${id}/result`)).body.candidates))).flat().filter((c: any) => c.production.state === 'failed'),
    ).toHaveLength(2);
  });

  it("refuses a candidate whose step no single pooled machine has the time for in the period, though the pool's summed minutes would cover it", async () => {
    // Two printers, 240 free minutes each in the one-day period: 480 pooled, 240 at most on one machine.
    const labs = await Promise.all(
      ['Long print lab A', 'Long print lab B'].map((name) =>
        createUnit(t.http, operator.token, {
          name,
          timezone: 'UTC',
          openingHours: MORNINGS,
          machines: [fdm({ materials: ['abs'] })],
          materials: [{ material: 'abs', quantity: 5, unit: 'kg' }],
        }),
      ),
    );
    const housing = await publish('Housing', [fdmStep('ABS', 300, 100)]);
    const lid = await publish('Lid', [fdmStep('ABS', 200, 50)]);
    // Matched over the 30 days to needBy, a 300-minute print spans two mornings of one printer.
    const long = await submit(housing, 1, 'a housing that prints for five hours');
    const short = await submit(lid, 1, 'a lid that prints in under four hours');
    expect(long.plan.steps).toEqual([expect.objectContaining({ minutes: 300 })]);

    const councilId = await council('Long prints', { machineHour: { '3d-printing.fdm': '6' }, material: { abs: { unit: 'kg', rate: '20' } } }, labs.map((u) => u.id), []);
    const { periodFrom, periodTo } = period(4);
    const opened = await t.http.post(`/councils/${councilId}/rounds`, { title: 'long prints', periodFrom, periodTo, closesAt: closesAt() }, { token: admin.token });
    expect(opened.status).toBe(201);
    expect(opened.body.budget.machineMinutes).toEqual({ '3d-printing.fdm': 480 });
    expect(opened.body.budget.largestMachineMinutes).toEqual({ '3d-printing.fdm': 240 });

    const refused = await t.http.post(`/rounds/${opened.body.id}/candidates`, { productionRequestId: long.id }, { token: requester.token });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      type: expect.stringContaining('step-exceeds-machine'),
      detail: `step 1 needs 300 min of 3d-printing.fdm on one machine, and the freest pooled machine able to run it has 240 min free from ${periodFrom} to ${periodTo}`,
      steps: [{ stepIndex: 0, process: '3d-printing.fdm', minutes: 300, largestMachineMinutes: 240 }],
    });
    // Nothing written: no candidate, the request still waits for a round it can be made in.
    expect(await t.sql(`SELECT 1 FROM council.candidates WHERE production_request_id = $1`, [long.id])).toHaveLength(0);
    expect((await t.sql<{ state: string }>(`SELECT state FROM production.requests WHERE id = $1`, [long.id]))[0]!.state).toBe('submitted');

    await addCandidates(opened.body.id, [short.id]);
  });

  it('refuses to open a round over a period already over; one whose period ended before its close funds nothing that can be made', async () => {
    const unit = await createUnit(t.http, operator.token, {
      name: 'Late lab',
      timezone: 'UTC',
      openingHours: MORNINGS,
      machines: [fdm({ materials: ['asa'] })],
      materials: [{ material: 'asa', quantity: 1, unit: 'kg' }],
    });
    const spacer = await publish('Spacer', [fdmStep('ASA', 30, 10)]);
    const councilId = await council('Late', { machineHour: { '3d-printing.fdm': '6' }, material: { asa: { unit: 'kg', rate: '20' } } }, [unit.id], []);
    const past = { periodFrom: new Date(periodStart - 14 * DAY).toISOString(), periodTo: new Date(periodStart - 13 * DAY).toISOString() };
    const refused = await t.http.post(`/councils/${councilId}/rounds`, { title: 'too late', ...past, closesAt: closesAt() }, { token: admin.token });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'periodTo', message: expect.stringContaining('periodTo must be in the future') }]);
    expect(await t.sql(`SELECT 1 FROM council.rounds WHERE council_id = $1`, [councilId])).toHaveLength(0);

    // A round over next week's period, whose period is over by the time it closes (time mocked:
    // the period is moved into the past, as if the vote had outlasted it).
    const opened = await t.http.post(`/councils/${councilId}/rounds`, { title: 'outlasted', ...period(3), closesAt: closesAt() }, { token: admin.token });
    expect(opened.status).toBe(201);
    const request = await submit(spacer, 1, 'spacers, funded too late');
    await addCandidates(opened.body.id, [request.id]);
    await t.http.put(`/rounds/${opened.body.id}/ballot`, { approvals: [request.id] }, { token: admin.token });
    await t.sql(`UPDATE council.rounds SET period_from = $2, period_to = $3 WHERE id = $1`, [opened.body.id, past.periodFrom, past.periodTo]);
    const closed = await t.http.post(`/rounds/${opened.body.id}/close`, undefined, { token: admin.token });
    expect(closed.body.funded).toEqual([request.id]);

    const states = await settled([request.id]);
    expect(states.get(request.id)).toMatchObject({ state: 'failed', round_id: opened.body.id });
    expect(states.get(request.id)!.reason).toContain(`the round allocated machine time from ${past.periodFrom} to ${past.periodTo}, and it ended before the reservations were placed`);
    expect(await jobsOf(request.id)).toHaveLength(0);
    expect(await t.sql(`SELECT 1 FROM fabrication.reservations WHERE fab_unit_id = $1`, [unit.id])).toHaveLength(0);
    const shown = (await t.http.get(`/rounds/${opened.body.id}/result`, { token: admin.token })).body.candidates[0];
    expect(shown).toMatchObject({ funded: true, production: { state: 'failed', decision: 'failed', reason: states.get(request.id)!.reason } });
  });

  it("a declined job of a round-funded request is rerouted inside the round's period; with no unit free there the request fails, naming the period", async () => {
    const { periodFrom, periodTo } = period(2);
    // Closed on the period's weekday, open every other morning: free before needBy, never in the period.
    const closedDay = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(periodFrom).getUTCDay()]!;
    const notThatDay = Object.fromEntries(Object.entries(MORNINGS).filter(([d]) => d !== closedDay));
    const unit = (name: string, material: string, km: number, openingHours: Record<string, unknown> = MORNINGS) =>
      createUnit(t.http, operator.token, {
        name,
        timezone: 'UTC',
        openingHours,
        location: { ...(km ? north(km) : LILLE), city: 'Lille', country: 'fr' },
        machines: [fdm({ materials: [material] })],
        materials: [{ material, quantity: 1, unit: 'kg' }],
      });
    // The nearer unit of each pair is the match's first choice (same free time, less distance).
    const first = await unit('Reroute lab near', 'nylon', 0);
    const second = await unit('Reroute lab far', 'nylon', 20);
    const near = await unit('Busy lab near', 'polycarbonate', 0);
    const closedThen = await unit('Lab closed that day', 'polycarbonate', 20, notThatDay);
    const hinge = await publish('Hinge', [fdmStep('nylon', 30, 10)]);
    const clamp = await publish('Clamp', [fdmStep('polycarbonate', 30, 10)]);
    const X = await submit(hinge, 1, 'X: hinges, rerouted inside the period');
    const Y = await submit(clamp, 1, 'Y: clamps, nobody free in the period');
    expect(X.plan.fabUnitIds).toEqual([first.id]);
    expect(Y.plan.fabUnitIds).toEqual([near.id]);
    // Each has the other unit of its pair as its one alternative (both can make it before needBy).
    const alternatives = await t.sql<{ id: string; units: string[] }>(
      `SELECT id, ARRAY(SELECT jsonb_array_elements_text(p -> 'fabUnitIds') FROM jsonb_array_elements(alternatives) p) AS units
       FROM production.requests WHERE id = ANY($1::uuid[])`,
      [[X.id, Y.id]],
    );
    expect(Object.fromEntries(alternatives.map((a) => [a.id, a.units]))).toEqual({ [X.id]: [second.id], [Y.id]: [closedThen.id] });

    const councilId = await council(
      'Reroutes',
      { machineHour: { '3d-printing.fdm': '6' }, material: { nylon: { unit: 'kg', rate: '40' }, polycarbonate: { unit: 'kg', rate: '40' } } },
      [first.id, second.id, near.id, closedThen.id],
      [],
    );
    const opened = await t.http.post(`/councils/${councilId}/rounds`, { title: 'reroutes', periodFrom, periodTo, closesAt: closesAt() }, { token: admin.token });
    expect(opened.status).toBe(201);
    const roundId = opened.body.id as string;
    await addCandidates(roundId, [X.id, Y.id]);
    expect((await t.http.put(`/rounds/${roundId}/ballot`, { approvals: [X.id, Y.id] }, { token: admin.token })).status).toBe(200);
    const closed = await t.http.post(`/rounds/${roundId}/close`, undefined, { token: admin.token });
    expect([...closed.body.funded].sort()).toEqual([X.id, Y.id].sort());
    const states = await settled([X.id, Y.id]);
    expect(states.get(X.id)!.state).toBe('funded');
    expect(states.get(Y.id)!.state).toBe('funded');
    // Production kept the round's period with each request it funded.
    const kept = await t.sql<{ period_from: Date; period_to: Date }>(`SELECT period_from, period_to FROM production.requests WHERE id = ANY($1::uuid[])`, [[X.id, Y.id]]);
    for (const k of kept) expect([k.period_from.toISOString(), k.period_to.toISOString()]).toEqual([periodFrom, periodTo]);

    const during = async (jobId: string) =>
      (await t.sql<{ from: Date; to: Date; fab_unit_id: string }>(
        `SELECT lower(during) AS from, upper(during) AS to, fab_unit_id FROM fabrication.reservations WHERE key = $1 AND released_at IS NULL`,
        [jobId],
      ))[0];

    // X: the near lab declines; the far one, which is free tomorrow already, gets it inside the period.
    const [atFirst] = await jobsOf(X.id);
    const declined = await t.http.post(`/jobs/${atFirst!.id}/decline`, { reason: 'Nozzle worn out' }, { token: operator.token });
    expect(declined.status).toBe(200);
    const xJobs = await jobsOf(X.id);
    expect(xJobs.map((j) => [j.fab_unit_id, j.state]).sort()).toEqual(
      [
        [first.id, 'declined'],
        [second.id, 'queued'],
      ].sort(),
    );
    const rerouted = xJobs.find((j) => j.fab_unit_id === second.id)!;
    const slot = await during(rerouted.id);
    expect(slot).toMatchObject({ fab_unit_id: second.id });
    expect(slot!.from.getTime()).toBeGreaterThanOrEqual(Date.parse(periodFrom));
    expect(slot!.to.getTime()).toBeLessThanOrEqual(Date.parse(periodTo));
    expect((await t.sql<{ state: string }>(`SELECT state FROM production.requests WHERE id = $1`, [X.id]))[0]!.state).toBe('funded');

    // Y: the near lab declines; the other one has time before needBy but none in the period.
    const [atNear] = await jobsOf(Y.id);
    expect((await t.http.post(`/jobs/${atNear!.id}/decline`, { reason: 'Booked for a school' }, { token: operator.token })).status).toBe(200);
    const y = (await t.sql<{ state: string; reason: string }>(`SELECT state, reason FROM production.requests WHERE id = $1`, [Y.id]))[0]!;
    expect(y.state).toBe('failed');
    expect(y.reason).toContain(`job ${atNear!.id} was declined by its unit and no other candidate could take step 1 inside the round's period (${periodFrom} to ${periodTo})`);
    expect(y.reason).toContain('Lab closed that day');
    expect((await jobsOf(Y.id)).map((j) => [j.fab_unit_id, j.state])).toEqual([[near.id, 'declined']]);
    expect(await t.sql(`SELECT 1 FROM fabrication.reservations WHERE fab_unit_id = $1 AND released_at IS NULL`, [closedThen.id])).toHaveLength(0);

    // X again, once the period is over (time mocked: production's copy of it moved into the past):
    // the far lab declines too, and nothing is reserved after the period; the request fails, saying why.
    const over = { from: new Date(Date.now() - 2 * DAY).toISOString(), to: new Date(Date.now() - DAY).toISOString() };
    await t.sql(`UPDATE production.requests SET period_from = $2, period_to = $3 WHERE id = $1`, [X.id, over.from, over.to]);
    expect((await t.http.post(`/jobs/${rerouted.id}/decline`, {}, { token: operator.token })).status).toBe(200);
    const x = (await t.sql<{ state: string; reason: string }>(`SELECT state, reason FROM production.requests WHERE id = $1`, [X.id]))[0]!;
    expect(x.state).toBe('failed');
    expect(x.reason).toBe(
      `job ${rerouted.id} was declined by its unit and step 1 cannot be rerouted: the round allocated machine time from ${over.from} to ${over.to}, and it ended before the reservations were placed (${x.reason.match(/placed \((.+)\)$/)![1]})`,
    );
    expect((await jobsOf(X.id)).map((j) => j.state)).toEqual(['declined', 'declined']);

    expect(await strayReservations(roundId)).toBe(0);
    expect(await overlaps()).toBe(0);
    // The round's result shows it beside the vote: funded, then failed in production.
    const shown = (await t.http.get(`/rounds/${roundId}/result`, { token: admin.token })).body;
    const yShown = shown.candidates.find((c: any) => c.productionRequestId === Y.id);
    expect(yShown).toMatchObject({ funded: true, production: { state: 'failed', reason: y.reason, decision: 'funded' } });
  });
});
