import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { parse } from 'yaml';
import { FABRICATION_PATTERNS } from '#libs/contracts/src/fabrication/messages.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';
import { createUnit, fdm, laser, LILLE, north, unitBody, WEEKDAYS_9_TO_5 } from '../e2e-fixtures.js';

jest.setTimeout(120_000);

describe('fab units over HTTP', () => {
  let t: TestSystem;
  let ada: { token: string; accountId: string; email: string };
  let bob: { token: string; accountId: string; email: string };
  let unit: any;

  beforeAll(async () => {
    t = await startTestSystem({ services: ['gateway', 'fabrication'] });
    ada = await t.signUp('ada');
    bob = await t.signUp('bob');
    unit = await createUnit(t.http, ada.token, {
      name: 'Fab Lab Lille',
      url: 'https://fablab-lille.example.org',
      machines: [fdm({ process: 'FDM', materials: ['PLA', 'PETG'], quantity: 2 }), laser()],
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const count = async (table: string) => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM fabrication.${table}`))[0]!.n;

  it('registers a unit with canonical names; its creator is its operator', () => {
    expect(unit).toMatchObject({
      name: 'Fab Lab Lille',
      kind: 'fablab',
      status: 'Active',
      location: { lat: LILLE.lat, lon: LILLE.lon, city: 'Lille', country: 'FR' },
      locatable: true,
      timezone: 'Europe/Paris',
      operators: [ada.accountId],
      councils: [],
      source: { system: 'cosmolocal', id: unit.id },
    });
    expect(unit.machines.map((m: any) => m.process)).toEqual(['3d-printing.fdm', '3d-printing.fdm', 'laser-cutting']);
    expect(unit.machines[0]).toMatchObject({ materials: ['pla', 'petg'], status: 'available', envelopeMm: { x: 250, y: 210, z: 220 }, openingHours: null });
    expect(unit.materials).toEqual([{ material: 'pla', quantity: 5, unit: 'kg', held: 0, free: 5 }]);
  });

  it('lets anyone read it; 404 for an unknown id, 400 for a malformed one', async () => {
    const got = await t.http.get(`/fab-units/${unit.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(unit);
    const unknown = await t.http.get('/fab-units/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect((await t.http.get('/fab-units/not-a-uuid')).status).toBe(400);
  });

  it('answers 409 for a second unit with the same name and url, and writes nothing', async () => {
    const before = await count('fab_units');
    const dup = await t.http.post('/fab-units', unitBody({ name: ' fab lab LILLE ', url: 'http://www.fablab-lille.example.org/' }), { token: ada.token });
    expect(dup.status).toBe(409);
    expect(dup.body.existingId).toBe(unit.id);
    expect(await count('fab_units')).toBe(before);
  });

  it.each([
    ['an unknown process', { machines: [fdm({ process: 'teleportation' })] }, 'machines.0.process'],
    ['an unknown material', { materials: [{ material: 'unobtainium', quantity: 1, unit: 'kg' }] }, 'materials.0.material'],
    ['an unknown unit', { materials: [{ material: 'pla', quantity: 1, unit: 'bushels' }] }, 'materials.0.unit'],
    ['a negative stock', { materials: [{ material: 'pla', quantity: -1, unit: 'kg' }] }, 'materials.0.quantity'],
    ['an unknown time zone', { timezone: 'Mars/Olympus_Mons' }, 'timezone'],
    ['a malformed opening time', { openingHours: { mon: [{ open: '9am', close: '17:00' }] } }, 'openingHours.mon.0.open'],
    ['a closure that is no date', { closures: [{ from: 'next tuesday', to: '2026-12-01' }] }, 'closures.0'],
    ['lat without lon', { location: { lat: 50 } }, 'location'],
    ['a latitude out of range', { location: { lat: 91, lon: 0 } }, 'location.lat'],
    ['a bad country', { location: { country: 'France' } }, 'location.country'],
    ['an unknown field', { colour: 'red' }, 'colour'],
    ['an unknown status', { status: 'Open' }, 'status'],
    ['a zero envelope', { machines: [fdm({ envelopeMm: { x: 0, y: 10, z: 10 } })] }, 'machines.0.envelopeMm.x'],
  ])('answers 400 with field errors for %s, and writes nothing', async (_label, over, field) => {
    const before = [await count('fab_units'), await count('machines'), await count('material_stock')];
    const answer = await t.http.post('/fab-units', unitBody(over), { token: ada.token });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect([await count('fab_units'), await count('machines'), await count('material_stock')]).toEqual(before);
  });

  it('needs a signed-in person to register a unit', async () => {
    expect((await t.http.post('/fab-units', unitBody())).status).toBe(401);
  });

  describe('edits by operators only', () => {
    it('PATCH: the operator changes it; someone else gets 403, nobody 401, an unknown unit 404', async () => {
      const patched = await t.http.patch(`/fab-units/${unit.id}`, { description: 'Open lab', accessType: 'Public' }, { token: ada.token });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ description: 'Open lab', accessType: 'Public', name: 'Fab Lab Lille' });

      const other = await t.http.patch(`/fab-units/${unit.id}`, { name: 'Mine now' }, { token: bob.token });
      expect(other.status).toBe(403);
      expect(other.headers.get('content-type')).toContain('application/problem+json');
      expect((await t.http.patch(`/fab-units/${unit.id}`, { name: 'Mine now' })).status).toBe(401);
      expect((await t.http.patch('/fab-units/00000000-0000-4000-8000-000000000000', { name: 'x' }, { token: ada.token })).status).toBe(404);
      expect((await t.http.get(`/fab-units/${unit.id}`)).body.name).toBe('Fab Lab Lille');
    });

    it('PATCH with bad input: 400, nothing written', async () => {
      const before = (await t.http.get(`/fab-units/${unit.id}`)).body;
      for (const body of [{ status: 'Bankrupt' }, { timezone: 'Nowhere/Else' }, { location: { lon: 3 } }, { name: '' }]) {
        const answer = await t.http.patch(`/fab-units/${unit.id}`, body, { token: ada.token });
        expect(answer.status).toBe(400);
      }
      expect((await t.http.get(`/fab-units/${unit.id}`)).body).toEqual(before);
    });

    it('machines: operators add them and change them; others get 403, unknown machines 404', async () => {
      const added = await t.http.post(`/fab-units/${unit.id}/machines`, { process: 'cnc milling', materials: ['aluminium'], envelopeMm: { x: 600, y: 400, z: 120 } }, { token: ada.token });
      expect(added.status).toBe(201);
      expect(added.body).toHaveLength(1);
      expect(added.body[0]).toMatchObject({ process: 'cnc-milling', materials: ['aluminium'], fabUnitId: unit.id });
      const machineId = added.body[0].id;

      const patched = await t.http.patch(`/machines/${machineId}`, { status: 'maintenance', openingHours: WEEKDAYS_9_TO_5 }, { token: ada.token });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ status: 'maintenance', openingHours: WEEKDAYS_9_TO_5 });

      expect((await t.http.patch(`/machines/${machineId}`, { status: 'retired' }, { token: bob.token })).status).toBe(403);
      expect((await t.http.post(`/fab-units/${unit.id}/machines`, fdm(), { token: bob.token })).status).toBe(403);
      expect((await t.http.patch('/machines/00000000-0000-4000-8000-000000000000', { status: 'retired' }, { token: ada.token })).status).toBe(404);
      const bad = await t.http.patch(`/machines/${machineId}`, { process: 'alchemy' }, { token: ada.token });
      expect(bad.status).toBe(400);
      const [row] = await t.sql<{ status: string; process: string }>(`SELECT status, process FROM fabrication.machines WHERE id = $1`, [machineId]);
      expect(row).toEqual({ status: 'maintenance', process: 'cnc-milling' });
    });

    it('stock: PUT sets a material in canonical names; bad input 400; others 403', async () => {
      const put = await t.http.put(`/fab-units/${unit.id}/materials/PLYWOOD`, { quantity: 12.5, unit: 'square metres' }, { token: ada.token });
      expect(put.status).toBe(200);
      expect(put.body).toEqual({ material: 'plywood', quantity: 12.5, unit: 'm2', held: 0, free: 12.5 });
      expect((await t.http.put(`/fab-units/${unit.id}/materials/pla`, { quantity: -3, unit: 'kg' }, { token: ada.token })).status).toBe(400);
      expect((await t.http.put(`/fab-units/${unit.id}/materials/kryptonite`, { quantity: 3, unit: 'kg' }, { token: ada.token })).status).toBe(400);
      expect((await t.http.put(`/fab-units/${unit.id}/materials/pla`, { quantity: 3, unit: 'kg' }, { token: bob.token })).status).toBe(403);
      const rows = await t.sql(`SELECT material, quantity::float8 AS q FROM fabrication.material_stock WHERE fab_unit_id = $1 ORDER BY position`, [unit.id]);
      expect(rows).toEqual([{ material: 'pla', q: 5 }, { material: 'plywood', q: 12.5 }]);
    });

    it('opening hours: PUT sets zone, week and closures; bad ones are 400 and change nothing', async () => {
      const body = { timezone: 'Europe/Berlin', weekly: WEEKDAYS_9_TO_5, closures: [{ from: '2026-12-24', to: '2027-01-01', reason: 'Winter break' }] };
      const put = await t.http.put(`/fab-units/${unit.id}/opening-hours`, body, { token: ada.token });
      expect(put.status).toBe(200);
      expect(put.body).toEqual({ fabUnitId: unit.id, timezone: 'Europe/Berlin', openingHours: WEEKDAYS_9_TO_5, closures: body.closures });
      for (const bad of [
        { ...body, timezone: 'Europe/Atlantis' },
        { ...body, closures: [{ from: '2027-01-10', to: '2027-01-01' }] },
        { weekly: { funday: [{ open: '09:00', close: '10:00' }] } },
        { weekly: { mon: [{ open: '25:00', close: '26:00' }] } },
      ]) {
        expect((await t.http.put(`/fab-units/${unit.id}/opening-hours`, bad, { token: ada.token })).status).toBe(400);
      }
      const got = (await t.http.get(`/fab-units/${unit.id}`)).body;
      expect(got).toMatchObject({ timezone: 'Europe/Berlin', openingHours: WEEKDAYS_9_TO_5, closures: body.closures });
      expect((await t.http.put(`/fab-units/${unit.id}/opening-hours`, body, { token: bob.token })).status).toBe(403);
    });

    it('operators add operators; the new one can edit; the last one cannot leave', async () => {
      expect((await t.http.post(`/fab-units/${unit.id}/operators`, { accountId: bob.accountId }, { token: bob.token })).status).toBe(403);
      expect((await t.http.post(`/fab-units/${unit.id}/operators`, { accountId: '00000000-0000-4000-8000-000000000000' }, { token: ada.token })).status).toBe(404);
      const added = await t.http.post(`/fab-units/${unit.id}/operators`, { accountId: bob.accountId }, { token: ada.token });
      expect(added.status).toBe(201);
      expect(added.body.operators).toEqual([ada.accountId, bob.accountId]);
      expect((await t.http.patch(`/fab-units/${unit.id}`, { description: 'Bob was here' }, { token: bob.token })).status).toBe(200);

      expect((await t.http.delete(`/fab-units/${unit.id}/operators/${bob.accountId}`, { token: ada.token })).status).toBe(200);
      expect((await t.http.patch(`/fab-units/${unit.id}`, { description: 'Bob again' }, { token: bob.token })).status).toBe(403);
      expect((await t.http.delete(`/fab-units/${unit.id}/operators/${ada.accountId}`, { token: ada.token })).status).toBe(409);
    });
  });

  describe('GET /fab-units', () => {
    let ids: Record<string, string>;
    beforeAll(async () => {
      const make = async (name: string, over: Record<string, unknown>) => (await createUnit(t.http, ada.token, { name, ...over })).id as string;
      ids = {
        near: await make('Near printer lab', { location: { ...north(5), country: 'FR' }, machines: [fdm()] }),
        mid: await make('Mid laser lab', { location: { ...north(30), country: 'FR' }, machines: [laser()] }),
        far: await make('Far lab', { location: { ...north(300), country: 'BE' }, machines: [fdm()] }),
        closed: await make('Closed lab', { location: { ...north(10), country: 'FR' }, status: 'Closed', machines: [] }),
        nowhere: await make('Nowhere lab', { location: { country: 'DE' }, machines: [fdm({ process: '3d-printing.sla', materials: ['resin'] })] }),
      };
    });

    it('lists nearest first within the radius, with distances', async () => {
      const page = await t.http.get(`/fab-units?near=${LILLE.lat},${LILLE.lon}&radiusKm=50`);
      expect(page.status).toBe(200);
      const names = page.body.items.map((u: any) => u.name);
      expect(names.indexOf('Near printer lab')).toBeLessThan(names.indexOf('Closed lab'));
      expect(names.indexOf('Closed lab')).toBeLessThan(names.indexOf('Mid laser lab'));
      expect(names).not.toContain('Far lab');
      expect(names).not.toContain('Nowhere lab');
      const near = page.body.items.find((u: any) => u.id === ids.near);
      expect(near.distanceKm).toBeCloseTo(5, 1);
      const distances = page.body.items.map((u: any) => u.distanceKm);
      expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    });

    it('filters by country, status, locatability and process (with sub-processes)', async () => {
      const names = async (q: string) => (await t.http.get(`/fab-units?${q}`)).body.items.map((u: any) => u.name).sort();
      expect(await names('country=be')).toEqual(['Far lab']);
      expect(await names('status=Closed')).toEqual(['Closed lab']);
      expect(await names('locatable=false')).toEqual(['Nowhere lab']);
      const printing = await names('process=3d-printing');
      expect(printing).toEqual(expect.arrayContaining(['Near printer lab', 'Far lab', 'Nowhere lab']));
      expect(printing).not.toContain('Mid laser lab');
      expect(await names('process=3d-printing.sla')).toEqual(['Nowhere lab']);
    });

    it('pages with a keyset cursor: every unit once, in order', async () => {
      const all = (await t.http.get('/fab-units?limit=200')).body.items.map((u: any) => u.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await t.http.get(`/fab-units?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((u: any) => u.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all);

      const near: string[] = [];
      cursor = null;
      do {
        const page: any = await t.http.get(`/fab-units?near=${LILLE.lat},${LILLE.lon}&radiusKm=400&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        near.push(...page.body.items.map((u: any) => u.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(near).toEqual((await t.http.get(`/fab-units?near=${LILLE.lat},${LILLE.lon}&radiusKm=400`)).body.items.map((u: any) => u.id));
    });

    it.each([
      ['near=north', 'near'],
      ['near=95,3', 'near'],
      ['radiusKm=10', 'radiusKm'],
      ['process=alchemy', 'process'],
      ['cursor=garbage', 'cursor'],
      ['limit=0', 'limit'],
      ['status=Open', 'status'],
    ])('answers 400 for %s', async (q, field) => {
      const answer = await t.http.get(`/fab-units?${q}`);
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((e: any) => e.field)).toContain(field);
    });
  });

  describe('what other services ask over the transport', () => {
    it('fabUnitsSummary: names and places, unknown ids left out', async () => {
      const fabrication: ServiceClient = t.system.gateway!.get(serviceClientToken('fabrication'), { strict: false });
      const summaries = await fabrication.send<any[]>(FABRICATION_PATTERNS.fabUnitsSummary, null, {
        ids: [unit.id, '00000000-0000-4000-8000-000000000000'],
      });
      expect(summaries).toEqual([{ id: unit.id, name: 'Fab Lab Lille', status: 'Active', country: 'FR', lat: LILLE.lat, lon: LILLE.lon, timezone: 'Europe/Berlin' }]);
      await expect(fabrication.send(FABRICATION_PATTERNS.fabUnitsSummary, null, { ids: ['nope'] })).rejects.toMatchObject({ status: 400 });
    });

    it('fabUnitsSetCouncil: the council capability records memberships, idempotently; GET lists them', async () => {
      const fabrication: ServiceClient = t.system.gateway!.get(serviceClientToken('fabrication'), { strict: false });
      const council = '11111111-1111-4111-8111-111111111111';
      const set = (member: boolean) => fabrication.send<any>(FABRICATION_PATTERNS.fabUnitsSetCouncil, null, { fabUnitId: unit.id, councilId: council, member });
      expect(await set(true)).toEqual({ fabUnitId: unit.id, councilIds: [council] });
      expect(await set(true)).toEqual({ fabUnitId: unit.id, councilIds: [council] });
      expect((await t.http.get(`/fab-units/${unit.id}`)).body.councils).toEqual([council]);
      expect(await set(false)).toEqual({ fabUnitId: unit.id, councilIds: [] });
      await expect(
        fabrication.send(FABRICATION_PATTERNS.fabUnitsSetCouncil, null, { fabUnitId: '00000000-0000-4000-8000-000000000000', councilId: council, member: true }),
      ).rejects.toMatchObject({ status: 404 });
    });
  });

  describe('Open Know Where export', () => {
    it('exports OKW v1 YAML that imports back as the same unit', async () => {
      const admin = await t.makePlatformAdmin(ada.email);
      const source = (await t.http.get(`/fab-units/${unit.id}`)).body;
      const exported = await t.http.get(`/fab-units/${unit.id}/okw`);
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toContain('application/yaml');
      const okw = parse(exported.text);
      expect(okw).toMatchObject({ name: 'Fab Lab Lille', facility_status: 'Active', location: { gps_coordinates: `${LILLE.lat}, ${LILLE.lon}` } });

      // The same document again is the same unit: nothing changes.
      const again = await t.http.post('/fab-units/import', undefined, { token: admin, raw: exported.text, contentType: 'application/yaml' });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ records: 1, created: 0, updated: 0, unchanged: 1 });
      expect((await t.http.get(`/fab-units/${unit.id}`)).body.updatedAt).toBe(source.updatedAt);

      // Under another name it is a new unit equal to the first in everything OKW carries. (The
      // contact agent lends the unit its name when it has no person: rename both.)
      const renamed = exported.text.replaceAll('name: Fab Lab Lille', 'name: Fab Lab Lille bis');
      const copy = await t.http.post('/fab-units/import', undefined, { token: admin, raw: renamed, contentType: 'application/yaml' });
      expect(copy.body).toMatchObject({ created: 1 });
      const copied = (await t.http.get(`/fab-units/${copy.body.ids[0]}`)).body;
      const strip = (u: any) => ({
        ...u,
        id: undefined,
        name: undefined,
        createdAt: undefined,
        updatedAt: undefined,
        operators: undefined,
        closures: undefined,
        machines: u.machines.map((m: any) => ({ ...m, id: undefined, fabUnitId: undefined, openingHours: undefined })),
      });
      expect(strip(copied)).toEqual(strip(source));
      expect(copied.operators).toEqual([]);
      expect((await t.http.get(`/fab-units/${copied.id}/okw`)).text).toBe(renamed);
    });

    it('404 for an unknown unit', async () => {
      expect((await t.http.get('/fab-units/00000000-0000-4000-8000-000000000000/okw')).status).toBe(404);
    });
  });
});
