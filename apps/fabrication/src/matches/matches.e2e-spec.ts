import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Queue } from 'bullmq';
import { QUEUES, redisConnectionOptions } from '#libs/contracts/src/index.js';
import { FABRICATION_PATTERNS, type PlacedReservation } from '#libs/contracts/src/fabrication/messages.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';
import { createUnit, eventually, fdm, laser, LILLE, north } from '../e2e-fixtures.js';

jest.setTimeout(180_000);

const DAY = 86_400_000;
const PRINT = {
  process: 'FDM',
  material: 'PLA',
  envelopeMm: { x: 200, y: 200, z: 100 },
  machineMinutesPerUnit: 60,
  materialQuantityPerUnit: 100,
  materialUnit: 'g',
};
const design = (title: string, requirements: unknown[]) => ({
  title,
  function: `Test design: ${title}`,
  license: 'CERN-OHL-S-2.0',
  licensors: [{ name: 'Ada Lovelace' }],
  requirements,
});

/**
 * GET /matches end to end: the design versions come from commons over the transport (seeded
 * through its HTTP routes), the units from fabrication's database. The pure engine has its
 * own exhaustive unit tests; these prove the SQL narrowing and loading feed it right.
 */
describe('GET /matches', () => {
  let t: TestSystem;
  let ada: { token: string; accountId: string };
  const versions: Record<string, string> = {};
  const units: Record<string, any> = {};
  const needBy = new Date(Date.now() + 3 * DAY).toISOString();

  const match = (versionId: string, extra = '') =>
    t.http.get(`/matches?designVersionId=${versionId}&quantity=2&lat=${LILLE.lat}&lon=${LILLE.lon}&needBy=${needBy}&maxDistanceKm=100${extra}`);

  beforeAll(async () => {
    t = await startTestSystem({ services: ['gateway', 'fabrication', 'commons'] });
    ada = await t.signUp('ada');
    const publish = async (key: string, body: unknown) => {
      const answer = await t.http.post('/designs', body, { token: ada.token });
      if (answer.status !== 201) throw new Error(`publish failed: ${answer.text}`);
      versions[key] = answer.body.designVersionId;
    };
    await publish('print', design('Printed bracket', [PRINT]));
    await publish('generic', design('Any printer bracket', [{ ...PRINT, process: '3d-printing', envelopeMm: undefined }]));
    await publish('twoSteps', design('Printed and cut lamp', [
      { ...PRINT, process: '3d-printing', material: 'PETG' },
      { process: 'laser-cutting', material: 'plywood', machineMinutesPerUnit: 30, materialQuantityPerUnit: 0.25, materialUnit: 'm2' },
    ]));
    await publish('nothing', design('A poem', []));

    const make = async (key: string, km: number, over: Record<string, unknown>) => {
      units[key] = await createUnit(t.http, ada.token, { name: `${key} lab`, timezone: 'UTC', location: north(km), ...over });
    };
    const stock = [{ material: 'pla', quantity: 5, unit: 'kg' }, { material: 'petg', quantity: 5, unit: 'kg' }];
    const today = new Date().toISOString().slice(0, 10);
    const inTenDays = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
    await make('printer', 10, { machines: [fdm()], materials: stock });
    await make('twin', 10, { machines: [fdm()], materials: stock.slice(0, 1) });
    await make('later', 15, { machines: [fdm()], materials: stock.slice(0, 1) });
    await make('laser', 20, { machines: [laser()], materials: [{ material: 'plywood', quantity: 10, unit: 'm2' }] });
    await make('small', 5, { machines: [fdm({ envelopeMm: { x: 100, y: 100, z: 100 } })], materials: stock });
    await make('abs', 6, { machines: [fdm({ materials: ['abs'] })], materials: stock });
    await make('lowStock', 7, { machines: [fdm()], materials: [{ material: 'pla', quantity: 50, unit: 'g' }] });
    await make('busy', 8, { machines: [fdm()], materials: stock });
    await make('closed', 3, { status: 'Temporary Closure', closures: [{ from: today, to: inTenDays }], machines: [fdm()], materials: stock });
    await make('far', 300, { machines: [fdm()], materials: stock });
    await make('maintenance', 9, { machines: [fdm({ status: 'maintenance' })], materials: stock });
    await make('generic', 12, { machines: [fdm({ process: '3d-printing' })], materials: stock });

    const reserve = (unit: any, start: number, end: number) =>
      t.http.post(`/fab-units/${unit.id}/reservations`, { machineId: unit.machines[0].id, start: new Date(start).toISOString(), end: new Date(end).toISOString() }, { token: ada.token });
    expect((await reserve(units.busy, Date.now() - DAY, Date.now() + 5 * DAY)).status).toBe(201);
    expect((await reserve(units.later, Date.now() - DAY, Date.now() + 5 * 3_600_000)).status).toBe(201);

    // One successful build of the bracket at `twin`: a placement consumed through the queue.
    const fabrication: ServiceClient = t.system.gateway!.get(serviceClientToken('fabrication'), { strict: false });
    await fabrication.send<PlacedReservation>(FABRICATION_PATTERNS.reservationsPlace, null, {
      key: 'built-once', fabUnitId: units.twin.id, process: '3d-printing.fdm', material: 'pla', minutes: 30, materialQuantity: 0,
      materialUnit: 'g', notBefore: new Date(Date.now() + 20 * DAY).toISOString(), needBy: new Date(Date.now() + 21 * DAY).toISOString(),
      designVersionId: versions.print,
    });
    const queue = new Queue(QUEUES.reservations, { connection: { ...redisConnectionOptions(t.config.redisUrl), maxRetriesPerRequest: null }, prefix: `${t.config.namespace}:bull` });
    await queue.add('outcome', { key: 'built-once', outcome: 'consume', at: new Date().toISOString() });
    await eventually(async () => (await t.sql(`SELECT 1 FROM fabrication.successful_builds WHERE key = 'built-once'`)).length > 0);
    await queue.close();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('ranks by earliest completion, then distance, then successful builds of the design there', async () => {
    const asked = Date.now();
    const answer = await match(versions.print!);
    expect(answer.status).toBe(200);
    const names = answer.body.candidates.map((c: any) => c.unitName);
    // twin and printer: same place, same completion; twin has built this design once.
    expect(names).toEqual(['twin lab', 'printer lab', 'later lab']);
    expect(answer.body.candidates[0].successfulBuilds).toBe(1);
    const best = answer.body.candidates[1];
    expect(best).toMatchObject({
      split: false,
      unitId: units.printer.id,
      cost: { machineMinutes: { '3d-printing.fdm': 120 }, materials: { pla: { quantity: 200, unit: 'g' } } },
      steps: [{ stepIndex: 0, process: '3d-printing.fdm', machineId: units.printer.machines[0].id, minutes: 120 }],
    });
    expect(best.distanceKm).toBeCloseTo(10, 0);
    const completion = new Date(best.completion).getTime();
    expect(completion).toBeGreaterThanOrEqual(asked + 120 * 60_000 - 1000);
    expect(completion).toBeLessThanOrEqual(Date.now() + 120 * 60_000 + 1000);
    expect(new Date(answer.body.candidates[2].completion).getTime()).toBeGreaterThan(completion + 4 * 3_600_000);
    expect(answer.body.demand).toEqual({ machineMinutes: { '3d-printing.fdm': 120 }, materials: { pla: { quantity: 200, unit: 'g' } } });
    expect(answer.body.splitPlans).toEqual([]);
  });

  it.each([
    ['closed', 'status', /^closed until \d{4}-\d{2}-\d{2}/],
    ['far', 'distance', /km away > 100\.0 km max$/],
    ['laser', 'process', /^no machine for 3d-printing\.fdm$/],
    ['generic', 'process', /^no machine for 3d-printing\.fdm$/],
    ['maintenance', 'process', /\(1 in maintenance\)$/],
    ['small', 'envelope', /^largest 3d-printing\.fdm envelope 100×100×100 mm < 200×200×100 mm needed$/],
    ['abs', 'material', /^no 3d-printing\.fdm machine works PLA$/],
    ['lowStock', 'stock', /^PLA stock 50 g < 200 g needed$/],
    ['busy', 'time', /^3d-printing\.fdm needs 2\.0 h before .*, 0\.0 h free$/],
  ])('explains why %s was left out: %s', async (key, rule, reason) => {
    const answer = await match(versions.print!);
    const exclusion = answer.body.exclusions.find((e: any) => e.unitId === units[key].id);
    expect(exclusion).toMatchObject({ rule, unitName: `${key} lab` });
    expect(exclusion.reason).toMatch(reason);
  });

  it('follows the process hierarchy: a generic 3D printing step runs on FDM printers and generic printers alike', async () => {
    const answer = await match(versions.generic!);
    const names = answer.body.candidates.map((c: any) => c.unitName);
    expect(names).toEqual(expect.arrayContaining(['printer lab', 'generic lab', 'small lab', 'twin lab']));
    expect(names).not.toContain('laser lab');
    const generic = answer.body.candidates.find((c: any) => c.unitName === 'generic lab');
    expect(generic.cost.machineMinutes).toEqual({ '3d-printing': 120 });
    expect(answer.body.demand.machineMinutes).toEqual({ '3d-printing': 120 });
  });

  it('plans a split when no unit does every step', async () => {
    const answer = await match(versions.twoSteps!);
    expect(answer.status).toBe(200);
    expect(answer.body.candidates).toEqual([]);
    expect(answer.body.splitPlans.length).toBeGreaterThan(0);
    const plan = answer.body.splitPlans[0];
    expect(plan.split).toBe(true);
    expect(plan.parts.map((p: any) => [p.unitName, p.steps.map((s: any) => s.process)])).toEqual([
      ['printer lab', ['3d-printing']],
      ['laser lab', ['laser-cutting']],
    ]);
    expect(plan.cost).toEqual({
      machineMinutes: { '3d-printing.fdm': 120, 'laser-cutting': 60 },
      materials: { petg: { quantity: 200, unit: 'g' }, plywood: { quantity: 0.5, unit: 'm2' } },
    });
    // The laser step starts when the print is done.
    expect(new Date(plan.parts[1].steps[0].start).getTime()).toBeGreaterThanOrEqual(new Date(plan.parts[0].steps[0].completion).getTime());
  });

  it('matches only among the given units with fabUnitIds', async () => {
    const answer = await match(versions.print!, `&fabUnitIds=${units.later.id},${units.laser.id}`);
    expect(answer.body.candidates.map((c: any) => c.unitName)).toEqual(['later lab']);
    expect(answer.body.counts.units).toBe(2);
  });

  it('answers over the transport too (production and councils ask there)', async () => {
    const fabrication: ServiceClient = t.system.gateway!.get(serviceClientToken('fabrication'), { strict: false });
    const result = await fabrication.send<any>(FABRICATION_PATTERNS.matchesFind, null, {
      designVersionId: versions.print, quantity: 2, lat: LILLE.lat, lon: LILLE.lon, needBy, maxDistanceKm: 100,
    });
    expect(result.candidates.map((c: any) => c.unitName)).toEqual(['twin lab', 'printer lab', 'later lab']);
  });

  it('answers 404 for an unknown design version and 422 for one that has nothing to make', async () => {
    const unknown = await match('00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    const nothing = await match(versions.nothing!);
    expect(nothing.status).toBe(422);
    expect(nothing.body.detail).toContain('no manufacturing requirements');
  });

  it.each([
    ['no design version', (v: string) => `/matches?quantity=1&lat=50&lon=3&needBy=${needBy}`, 'designVersionId'],
    ['a zero quantity', (v: string) => `/matches?designVersionId=${v}&quantity=0&lat=50&lon=3&needBy=${needBy}`, 'quantity'],
    ['a latitude out of range', (v: string) => `/matches?designVersionId=${v}&quantity=1&lat=91&lon=3&needBy=${needBy}`, 'lat'],
    ['a needBy in the past', (v: string) => `/matches?designVersionId=${v}&quantity=1&lat=50&lon=3&needBy=2020-01-01T00:00:00Z`, 'needBy'],
    ['a needBy years ahead', (v: string) => `/matches?designVersionId=${v}&quantity=1&lat=50&lon=3&needBy=2099-01-01T00:00:00Z`, 'needBy'],
    ['a needBy that is no date', (v: string) => `/matches?designVersionId=${v}&quantity=1&lat=50&lon=3&needBy=soon`, 'needBy'],
    ['a negative distance', (v: string) => `/matches?designVersionId=${v}&quantity=1&lat=50&lon=3&needBy=${needBy}&maxDistanceKm=-1`, 'maxDistanceKm'],
  ])('answers 400 for %s', async (_label, url, field) => {
    const answer = await t.http.get(url(versions.print!));
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((e: any) => e.field)).toContain(field);
  });
});
