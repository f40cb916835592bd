import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type Job, Queue } from 'bullmq';
import { DomainError, QUEUES, redisConnectionOptions } from '#libs/contracts/src/index.js';
import { FABRICATION_PATTERNS, type PlacedReservation, type PlaceReservation, RESERVATION_OUTCOME_JOBS } from '#libs/contracts/src/fabrication/messages.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';
import { createUnit, eventually, fdm } from '../e2e-fixtures.js';

jest.setTimeout(180_000);

const HOUR = 3_600_000;
const MIN = 60_000;
/** Whole hours, two days ahead: far enough from now that nothing has started. */
const BASE = Math.ceil(Date.now() / HOUR) * HOUR + 48 * HOUR;
const at = (ms: number) => new Date(BASE + ms).toISOString();

describe('reservations', () => {
  let t: TestSystem;
  let fabrication: ServiceClient;
  let queue: Queue;
  let ada: { token: string; accountId: string };
  let bob: { token: string; accountId: string };
  let unit: any;
  let machineId: string;

  const place = (over: Partial<PlaceReservation> & { key: string }) =>
    fabrication.send<PlacedReservation>(FABRICATION_PATTERNS.reservationsPlace, null, {
      fabUnitId: unit.id,
      process: '3d-printing',
      material: 'pla',
      minutes: 60,
      materialQuantity: 100,
      materialUnit: 'g',
      notBefore: at(100 * HOUR),
      needBy: at(40 * 24 * HOUR),
      ...over,
    });
  const problem = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      if (e instanceof DomainError) return e;
      throw e;
    }
    throw new Error('expected a problem');
  };
  const stock = async () =>
    (await t.sql<{ quantity: number; held: number }>(
      `SELECT quantity::float8 AS quantity, held::float8 AS held FROM fabrication.material_stock WHERE fab_unit_id = $1 AND material = 'pla'`,
      [unit.id],
    ))[0]!;
  const overlappingPairs = async () =>
    (await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM fabrication.reservations a JOIN fabrication.reservations b
         ON a.machine_id = b.machine_id AND a.id < b.id AND a.during && b.during
       WHERE a.released_at IS NULL AND b.released_at IS NULL`,
    ))[0]!.n;

  beforeAll(async () => {
    t = await startTestSystem({ services: ['gateway', 'fabrication'] });
    fabrication = t.system.gateway!.get(serviceClientToken('fabrication'), { strict: false });
    queue = new Queue(QUEUES.reservations, {
      connection: { ...redisConnectionOptions(t.config.redisUrl), maxRetriesPerRequest: null },
      prefix: `${t.config.namespace}:bull`,
    });
    ada = await t.signUp('ada');
    bob = await t.signUp('bob');
    unit = await createUnit(t.http, ada.token, { timezone: 'UTC', machines: [fdm()], materials: [{ material: 'pla', quantity: 1, unit: 'kg' }] });
    machineId = unit.machines[0].id;
  });
  afterAll(async () => {
    await queue?.close();
    await t?.close();
  });

  describe('made by operators (POST /fab-units/{id}/reservations)', () => {
    it('50 concurrent overlapping attempts on one machine: exactly the non-overlapping ones succeed', async () => {
      // Ten one-hour slots, each asked for five times at once: one of each five wins.
      const attempts = Array.from({ length: 50 }, (_, i) => {
        const slot = i % 10;
        return { machineId, start: at(slot * HOUR), end: at((slot + 1) * HOUR), note: `attempt ${i}` };
      });
      const answers = await Promise.all(attempts.map((a) => t.http.post(`/fab-units/${unit.id}/reservations`, a, { token: ada.token })));
      expect(answers.filter((a) => a.status === 201)).toHaveLength(10);
      expect(answers.filter((a) => a.status === 409)).toHaveLength(40);
      for (const refused of answers.filter((a) => a.status === 409)) {
        expect(refused.headers.get('content-type')).toContain('application/problem+json');
        expect(refused.body.overlapping).toHaveLength(1);
      }
      const won = answers.filter((a) => a.status === 201).map((a) => a.body.start).sort();
      expect(won).toEqual(Array.from({ length: 10 }, (_, k) => at(k * HOUR)));
      const rows = await t.sql(`SELECT 1 FROM fabrication.reservations WHERE machine_id = $1 AND released_at IS NULL`, [machineId]);
      expect(rows).toHaveLength(10);
      expect(await overlappingPairs()).toBe(0);
    });

    it('the database itself refuses an overlapping row (exclusion constraint)', async () => {
      await expect(
        t.sql(
          `INSERT INTO fabrication.reservations (machine_id, fab_unit_id, kind, during) VALUES ($1, $2, 'manual', tstzrange($3, $4))`,
          [machineId, unit.id, at(30 * MIN), at(90 * MIN)],
        ),
      ).rejects.toMatchObject({ code: '23P01' });
      // Back to back is not overlapping: [a, b) then [b, c).
      const next = await t.http.post(`/fab-units/${unit.id}/reservations`, { machineId, start: at(10 * HOUR), end: at(11 * HOUR) }, { token: ada.token });
      expect(next.status).toBe(201);
    });

    it('cancelling frees the time; others get 403; unknown machines 404; bad periods 400', async () => {
      const list = await t.http.get(`/fab-units/${unit.id}/reservations?from=${at(0)}&to=${at(24 * HOUR)}`, { token: ada.token });
      expect(list.status).toBe(200);
      expect(list.body).toHaveLength(11);
      const first = list.body[0];
      expect((await t.http.delete(`/fab-units/${unit.id}/reservations/${first.id}`, { token: bob.token })).status).toBe(403);
      const cancelled = await t.http.delete(`/fab-units/${unit.id}/reservations/${first.id}`, { token: ada.token });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.releasedAt).not.toBeNull();
      const again = await t.http.post(`/fab-units/${unit.id}/reservations`, { machineId, start: first.start, end: first.end }, { token: ada.token });
      expect(again.status).toBe(201);

      expect((await t.http.post(`/fab-units/${unit.id}/reservations`, { machineId, start: at(50 * HOUR), end: at(51 * HOUR) }, { token: bob.token })).status).toBe(403);
      expect(
        (await t.http.post(`/fab-units/${unit.id}/reservations`, { machineId: '00000000-0000-4000-8000-000000000000', start: at(50 * HOUR), end: at(51 * HOUR) }, { token: ada.token })).status,
      ).toBe(404);
      const before = await t.sql(`SELECT id FROM fabrication.reservations`);
      for (const bad of [
        { machineId, start: at(52 * HOUR), end: at(51 * HOUR) },
        { machineId, start: 'tomorrow', end: at(51 * HOUR) },
        { machineId, start: at(50 * HOUR) },
      ]) {
        const answer = await t.http.post(`/fab-units/${unit.id}/reservations`, bad, { token: ada.token });
        expect(answer.status).toBe(400);
      }
      expect(await t.sql(`SELECT id FROM fabrication.reservations`)).toEqual(before);
    });
  });

  describe('placed by production (FABRICATION_PATTERNS.reservationsPlace)', () => {
    it('reserves the earliest free time on a fitting machine and holds the material', async () => {
      const placed = await place({ key: 'job-1' });
      expect(placed).toMatchObject({
        key: 'job-1',
        fabUnitId: unit.id,
        machineId,
        slots: [{ start: at(100 * HOUR), end: at(101 * HOUR) }],
        completion: at(101 * HOUR),
      });
      expect(placed.reservationIds).toHaveLength(1);
      expect(placed.materialHoldId).toEqual(expect.any(String));
      expect(await stock()).toEqual({ quantity: 1, held: 0.1 });
    });

    it('is idempotent by key: placing again answers the first result and writes nothing', async () => {
      const before = await t.sql(`SELECT id FROM fabrication.reservations ORDER BY id`);
      const first = await place({ key: 'job-1' });
      const again = await Promise.all([place({ key: 'job-1' }), place({ key: 'job-1', minutes: 500 })]);
      expect(again).toEqual([first, first]);
      expect(await t.sql(`SELECT id FROM fabrication.reservations ORDER BY id`)).toEqual(before);
      expect(await stock()).toEqual({ quantity: 1, held: 0.1 });
    });

    it('runs around existing reservations and pauses where the machine is taken', async () => {
      // A manual block at 101h–103h: a 3-hour job from 100h waits for the 1-hour job-1, then the block.
      await t.http.post(`/fab-units/${unit.id}/reservations`, { machineId, start: at(101 * HOUR), end: at(103 * HOUR) }, { token: ada.token });
      const placed = await place({ key: 'job-2', minutes: 180, notBefore: at(100 * HOUR) });
      expect(placed.slots).toEqual([{ start: at(103 * HOUR), end: at(106 * HOUR) }]);
    });

    it('20 concurrent placements on one machine: all fit, none overlaps', async () => {
      const placed = await Promise.all(
        Array.from({ length: 20 }, (_, i) => place({ key: `burst-${i}`, minutes: 45, materialQuantity: 10, notBefore: at(200 * HOUR) })),
      );
      expect(new Set(placed.map((p) => p.slots[0]!.start)).size).toBe(20);
      expect(await overlappingPairs()).toBe(0);
      const minutes = await t.sql<{ m: number }>(
        `SELECT sum(extract(epoch FROM upper(during) - lower(during)) / 60)::int AS m FROM fabrication.reservations WHERE key LIKE 'burst-%'`,
      );
      expect(minutes[0]!.m).toBe(20 * 45);
      // Back to back from 200h: the calendar is packed, not scattered.
      expect(placed.map((p) => p.completion).sort().at(-1)).toBe(at(200 * HOUR + 20 * 45 * MIN));
    });

    it('stock never goes negative under 30 concurrent holds', async () => {
      const { quantity, held } = await stock();
      const free = Math.round((quantity - held) * 1000);
      const each = 70;
      const answers = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) => place({ key: `hold-${i}`, minutes: 5, materialQuantity: each, notBefore: at(300 * HOUR) })),
      );
      const won = answers.filter((a) => a.status === 'fulfilled').length;
      expect(won).toBe(Math.floor(free / each));
      for (const a of answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected')) {
        expect(a.reason).toBeInstanceOf(DomainError);
        expect(a.reason).toMatchObject({ status: 409, extensions: { rule: 'stock' } });
      }
      const after = await stock();
      expect(after.held).toBeLessThanOrEqual(after.quantity);
      expect(Math.round(after.held * 1000)).toBe(Math.round(held * 1000) + won * each);
      const holds = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM fabrication.material_holds WHERE key LIKE 'hold-%'`);
      expect(holds[0]!.n).toBe(won);

      // An operator cannot take the stock below what is held either (409, nothing written)…
      const lower = await t.http.put(`/fab-units/${unit.id}/materials/pla`, { quantity: after.held / 2, unit: 'kg' }, { token: ada.token });
      expect(lower.status).toBe(409);
      expect(await stock()).toEqual(after);
      // …and neither can anything else: the CHECK constraint refuses it in the database.
      await expect(t.sql(`UPDATE fabrication.material_stock SET held = quantity + 1 WHERE fab_unit_id = $1`, [unit.id])).rejects.toMatchObject({ code: '23514' });
    });

    it('answers 409 when nothing fits, 404 for an unknown unit, 400 for bad input; nothing is written', async () => {
      // Stock again (the holds above took it all): only the rule under test fails below.
      expect((await t.http.put(`/fab-units/${unit.id}/materials/pla`, { quantity: 5, unit: 'kg' }, { token: ada.token })).status).toBe(200);
      const before = [await t.sql(`SELECT id FROM fabrication.reservations`), await stock(), await t.sql(`SELECT key FROM fabrication.placements`)];
      expect(await problem(place({ key: 'too-long', minutes: 60 * 24 * 60 }))).toMatchObject({ status: 409, extensions: { rule: 'time' } });
      expect(await problem(place({ key: 'too-much', materialQuantity: 50, materialUnit: 'kg' }))).toMatchObject({ status: 409, extensions: { rule: 'stock' } });
      expect(await problem(place({ key: 'no-resin', process: '3d-printing.sla', material: 'resin' }))).toMatchObject({ status: 409, extensions: { rule: 'machine' } });
      expect(await problem(place({ key: 'big', envelopeMm: { x: 900, y: 900, z: 900 } }))).toMatchObject({ status: 409 });
      expect(await problem(place({ key: 'nowhere', fabUnitId: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({ status: 404 });
      expect(await problem(place({ key: 'bad', process: 'alchemy' }))).toMatchObject({ status: 400 });
      expect(await problem(place({ key: 'bad', minutes: -5 }))).toMatchObject({ status: 400 });
      expect(await problem(place({ key: 'late', needBy: at(50 * HOUR), notBefore: at(60 * HOUR) }))).toMatchObject({ status: 400 });
      expect([await t.sql(`SELECT id FROM fabrication.reservations`), await stock(), await t.sql(`SELECT key FROM fabrication.placements`)]).toEqual(before);
    });
  });

  describe('ended by production (QUEUES.reservations)', () => {
    const outcome = (key: string) => t.sql<{ outcome: string }>(`SELECT outcome FROM fabrication.reservation_outcomes WHERE key = $1`, [key]);
    /** Sends the outcome `copies` times (distinct BullMQ jobs, as a retrying producer would) and waits for all. */
    const settle = async (key: string, kind: 'consume' | 'release', when: string, copies = 1) => {
      const jobs: Job[] = [];
      for (let i = 0; i < copies; i++) jobs.push(await queue.add('outcome', { key, outcome: kind, at: when }, { jobId: `${key}-${kind}-${i}` }));
      await eventually(async () => (await Promise.all(jobs.map((j) => j.getState()))).every((s) => s === 'completed'));
    };

    it('consume: the held material leaves the stock, the reservation closes, time after the end is freed; twice changes once', async () => {
      const placed = await place({ key: 'job-c', minutes: 120, materialQuantity: 50, notBefore: at(500 * HOUR) });
      const before = await stock();
      const end = new Date(new Date(placed.slots[0]!.start).getTime() + 30 * MIN).toISOString();
      await settle('job-c', 'consume', end, 2);
      const after = await stock();
      expect(Math.round(after.quantity * 1000)).toBe(Math.round(before.quantity * 1000) - 50);
      expect(Math.round(after.held * 1000)).toBe(Math.round(before.held * 1000) - 50);
      const rows = await t.sql<{ start: Date; end: Date; consumed: boolean; released: boolean }>(
        `SELECT lower(during) AS start, upper(during) AS "end", consumed_at IS NOT NULL AS consumed, released_at IS NOT NULL AS released
         FROM fabrication.reservations WHERE key = 'job-c'`,
      );
      expect(rows).toEqual([{ start: new Date(placed.slots[0]!.start), end: new Date(end), consumed: true, released: false }]);
      expect(await t.sql(`SELECT consumed_at IS NOT NULL AS c FROM fabrication.material_holds WHERE key = 'job-c'`)).toEqual([{ c: true }]);
    });

    it('release: the hold and the reserved time are given back; a later placement of the key is refused', async () => {
      const placed = await place({ key: 'job-r', minutes: 60, materialQuantity: 20, notBefore: at(600 * HOUR) });
      const before = await stock();
      await settle('job-r', 'release', new Date().toISOString(), 2);
      const after = await stock();
      expect(after.quantity).toBe(before.quantity);
      expect(Math.round(after.held * 1000)).toBe(Math.round(before.held * 1000) - 20);
      expect(await t.sql(`SELECT released_at IS NOT NULL AS r FROM fabrication.reservations WHERE key = 'job-r'`)).toEqual([{ r: true }]);
      // The slot is free again for someone else.
      const next = await place({ key: 'after-r', minutes: 60, materialQuantity: 0, notBefore: placed.slots[0]!.start });
      expect(next.slots[0]!.start).toBe(placed.slots[0]!.start);
      // Placing the released job again answers its first result, and never re-holds.
      expect(await place({ key: 'job-r' })).toEqual(placed);
      // A job that ended before it was ever placed (cancelled early) gets no reservation afterwards.
      await settle('job-gone', 'release', new Date().toISOString());
      expect(await outcome('job-gone')).toEqual([{ outcome: 'release' }]);
      expect(await problem(place({ key: 'job-gone' }))).toMatchObject({ status: 409 });
      expect(await t.sql(`SELECT 1 FROM fabrication.placements WHERE key = 'job-gone'`)).toHaveLength(0);
    });

    describe('in batches (one message for the jobs one production transaction ended)', () => {
      /** Sends the batch `copies` times (distinct BullMQ jobs) and answers what each delivery came to. */
      const settleBatch = async (keys: string[], kind: 'consume' | 'release', when: string, copies = 1) => {
        const jobs: Job[] = [];
        for (let i = 0; i < copies; i++) {
          jobs.push(await queue.add(RESERVATION_OUTCOME_JOBS.batch, { keys, outcome: kind, at: when }, { jobId: `batch-${kind}-${keys[0]}-${i}` }));
        }
        await eventually(async () => (await Promise.all(jobs.map((j) => j.getState()))).every((s) => s === 'completed'));
        return Promise.all(jobs.map(async (j) => (await queue.getJob(j.id!))!.returnvalue));
      };
      const holds = (keys: string[]) =>
        t.sql(
          `SELECT key, consumed_at IS NOT NULL AS consumed, released_at IS NOT NULL AS released FROM fabrication.material_holds WHERE key = ANY($1) ORDER BY key`,
          [keys],
        );
      const reservations = (keys: string[]) =>
        t.sql(
          `SELECT key, consumed_at IS NOT NULL AS consumed, released_at IS NOT NULL AS released FROM fabrication.reservations WHERE key = ANY($1) ORDER BY key`,
          [keys],
        );

      it('consume: every key settled as its own message would be, in one go; a redelivery changes nothing', async () => {
        await place({ key: 'batch-a', minutes: 60, materialQuantity: 10, notBefore: at(700 * HOUR), designVersionId: 'version-batch' });
        await place({ key: 'batch-b', minutes: 60, materialQuantity: 15, notBefore: at(700 * HOUR) });
        const single = await place({ key: 'batch-single', minutes: 60, materialQuantity: 5, notBefore: at(700 * HOUR) });
        // The one-job form, as production named it before batches, is still taken.
        const old = await queue.add('consume', { key: 'batch-single', outcome: 'consume', at: single.slots[0]!.end });
        await eventually(async () => (await old.getState()) === 'completed');
        expect((await queue.getJob(old.id!))!.returnvalue).toBe('applied');
        const before = await stock();

        const results = await settleBatch(['batch-b', 'batch-a', 'batch-single', 'batch-ghost'], 'consume', at(720 * HOUR), 2);
        expect(results).toEqual([
          { applied: 2, repeat: 1, unknownKeys: ['batch-ghost'] },
          { applied: 0, repeat: 4, unknownKeys: [] },
        ]);
        const after = await stock();
        expect(Math.round(after.quantity * 1000)).toBe(Math.round(before.quantity * 1000) - 25);
        expect(Math.round(after.held * 1000)).toBe(Math.round(before.held * 1000) - 25);
        expect(await holds(['batch-a', 'batch-b'])).toEqual([
          { key: 'batch-a', consumed: true, released: false },
          { key: 'batch-b', consumed: true, released: false },
        ]);
        expect(await reservations(['batch-a', 'batch-b'])).toEqual([
          { key: 'batch-a', consumed: true, released: false },
          { key: 'batch-b', consumed: true, released: false },
        ]);
        // A consumed placement with a design version counts as a successful build of it at the unit.
        expect(await t.sql(`SELECT key, fab_unit_id, design_version_id FROM fabrication.successful_builds WHERE key LIKE 'batch-%'`)).toEqual([
          { key: 'batch-a', fab_unit_id: unit.id, design_version_id: 'version-batch' },
        ]);
        // The unknown key is recorded: a placement arriving later for it is refused.
        expect(await outcome('batch-ghost')).toEqual([{ outcome: 'consume' }]);
        expect(await problem(place({ key: 'batch-ghost' }))).toMatchObject({ status: 409 });
      });

      it('release: holds and reserved time given back for every key; a malformed batch fails at once', async () => {
        await place({ key: 'batch-r1', minutes: 60, materialQuantity: 20, notBefore: at(800 * HOUR) });
        await place({ key: 'batch-r2', minutes: 60, materialQuantity: 30, notBefore: at(800 * HOUR) });
        const before = await stock();
        expect(await settleBatch(['batch-r1', 'batch-r2'], 'release', new Date().toISOString())).toEqual([{ applied: 2, repeat: 0, unknownKeys: [] }]);
        const after = await stock();
        expect(after.quantity).toBe(before.quantity);
        expect(Math.round(after.held * 1000)).toBe(Math.round(before.held * 1000) - 50);
        expect(await holds(['batch-r1', 'batch-r2'])).toEqual([
          { key: 'batch-r1', consumed: false, released: true },
          { key: 'batch-r2', consumed: false, released: true },
        ]);
        expect(await reservations(['batch-r1', 'batch-r2'])).toEqual([
          { key: 'batch-r1', consumed: false, released: true },
          { key: 'batch-r2', consumed: false, released: true },
        ]);

        const malformed = await queue.add(RESERVATION_OUTCOME_JOBS.batch, { keys: ['batch-m', 7], outcome: 'consume', at: new Date().toISOString() }, { attempts: 5 });
        await eventually(async () => (await malformed.getState()) === 'failed');
        expect((await queue.getJob(malformed.id!))!.attemptsMade).toBe(1);
        expect(await outcome('batch-m')).toEqual([]);
      });
    });
  });

  describe('capacity', () => {
    it('GET /fab-units/{id}/capacity: open minutes minus active reservations, and free stock', async () => {
      const from = at(1000 * HOUR);
      const to = at(1000 * HOUR + 24 * HOUR);
      const empty = await t.http.get(`/fab-units/${unit.id}/capacity?from=${from}&to=${to}`);
      expect(empty.status).toBe(200);
      expect(empty.body.machineMinutes).toEqual({ '3d-printing.fdm': 24 * 60 });
      await t.http.post(`/fab-units/${unit.id}/reservations`, { machineId, start: at(1000 * HOUR + 2 * HOUR), end: at(1000 * HOUR + 5 * HOUR) }, { token: ada.token });
      await t.http.post(`/fab-units/${unit.id}/reservations`, { machineId, start: at(1000 * HOUR - HOUR), end: at(1000 * HOUR + 30 * MIN) }, { token: ada.token });
      const busy = await t.http.get(`/fab-units/${unit.id}/capacity?from=${from}&to=${to}`);
      expect(busy.body.machineMinutes).toEqual({ '3d-printing.fdm': 24 * 60 - 180 - 30 });
      const s = await stock();
      expect(busy.body.materials).toEqual({ pla: { quantity: Number((s.quantity - s.held).toPrecision(12)), unit: 'kg' } });
      expect(busy.body.machines).toEqual([{ machineId, process: '3d-printing.fdm', freeMinutes: 24 * 60 - 210 }]);
    });

    it('pools units for a council (capacityPool), counting only Active units and available machines', async () => {
      const other = await createUnit(t.http, ada.token, {
        timezone: 'Europe/Paris',
        openingHours: { mon: [{ open: '09:00', close: '17:00' }] },
        machines: [fdm(), fdm({ status: 'maintenance' }), { process: 'laser-cutting', materials: ['plywood'] }],
        materials: [{ material: 'pla', quantity: 500, unit: 'g' }],
      });
      const closed = await createUnit(t.http, ada.token, { status: 'Closed', machines: [fdm()] });
      // A Monday to the next Monday, in Paris winter time (UTC+1).
      const pool = await fabrication.send<any>(FABRICATION_PATTERNS.capacityPool, null, {
        fabUnitIds: [other.id, closed.id, '00000000-0000-4000-8000-000000000000'],
        from: '2027-01-04T00:00:00Z',
        to: '2027-01-11T00:00:00Z',
      });
      expect(pool.fabUnitIds.sort()).toEqual([other.id, closed.id].sort());
      expect(pool.machineMinutes).toEqual({ '3d-printing.fdm': 480, 'laser-cutting': 480 });
      expect(pool.materials).toEqual({ pla: { quantity: 500, unit: 'g' } });
      expect(await problem(fabrication.send(FABRICATION_PATTERNS.capacityPool, null, { fabUnitIds: [other.id], from: '2027-01-11T00:00:00Z', to: '2027-01-04T00:00:00Z' }))).toMatchObject({ status: 400 });
    });

    it('answers 404 for an unknown unit and 400 for a bad period', async () => {
      expect((await t.http.get(`/fab-units/00000000-0000-4000-8000-000000000000/capacity?from=${at(0)}&to=${at(HOUR)}`)).status).toBe(404);
      expect((await t.http.get(`/fab-units/${unit.id}/capacity?from=${at(HOUR)}&to=${at(0)}`)).status).toBe(400);
      expect((await t.http.get(`/fab-units/${unit.id}/capacity?from=soon`)).status).toBe(400);
    });
  });
});
