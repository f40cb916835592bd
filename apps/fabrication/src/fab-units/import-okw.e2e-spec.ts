import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';

jest.setTimeout(180_000);

const FABLABS = readFileSync('data/okw/fablabs-io-2237.json', 'utf8');
const ROBS_SHOP = readFileSync('data/okw/helpfulengineering-library__RobsArduinoShop.okw.yml', 'utf8');
const SYNTHETIC = readFileSync('data/okw/supply-graph-ai__SYNTHETIC_full_okw_v1_facility.json', 'utf8');

describe('POST /fab-units/import', () => {
  let t: TestSystem;
  let admin: string;
  let person: { token: string; accountId: string };

  beforeAll(async () => {
    t = await startTestSystem({ services: ['gateway', 'fabrication'] });
    const a = await t.signUp('admin');
    admin = await t.makePlatformAdmin(a.email);
    person = await t.signUp('someone');
  });
  afterAll(async () => {
    await t?.close();
  });

  const state = async () =>
    (
      await t.sql<{ units: number; machines: number; stock: number; changed: string | null }>(
        `SELECT (SELECT count(*)::int FROM fabrication.fab_units) AS units,
                (SELECT count(*)::int FROM fabrication.machines) AS machines,
                (SELECT count(*)::int FROM fabrication.material_stock) AS stock,
                (SELECT max(updated_at)::text FROM fabrication.fab_units) AS changed`,
      )
    )[0]!;

  it('is for platform admins only: 401 without a token, 403 for anyone else, nothing written', async () => {
    expect((await t.http.post('/fab-units/import', undefined, { raw: FABLABS })).status).toBe(401);
    const refused = await t.http.post('/fab-units/import', undefined, { token: person.token, raw: FABLABS });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await state()).units).toBe(0);
  });

  it('imports all 2,237 fablabs.io records; those without coordinates are kept and flagged', async () => {
    const answer = await t.http.post('/fab-units/import', undefined, { token: admin, raw: FABLABS, contentType: 'application/json' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ records: 2237, created: 2237, merged: 0, updated: 0, unchanged: 0, skipped: 0, flaggedNotLocatable: 201 });
    expect(answer.body.warnings.join('\n')).toContain('no coordinates: kept, not locatable: 201 records');
    const rows = await t.sql<{ total: number; unlocatable: number; countries: number; fablabs: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE NOT locatable)::int AS unlocatable,
              count(DISTINCT country)::int AS countries, count(*) FILTER (WHERE source_system = 'fablabs.io')::int AS fablabs
       FROM fabrication.fab_units`,
    );
    expect(rows[0]).toMatchObject({ total: 2237, unlocatable: 201, fablabs: 2237 });
    expect(rows[0]!.countries).toBeGreaterThan(100);
    // Nobody operates an imported unit until an admin names someone.
    expect(await t.sql(`SELECT 1 FROM fabrication.fab_unit_operators`)).toHaveLength(0);

    const songpa = await t.http.get('/fab-units?country=KR&limit=200');
    expect(songpa.body.items.find((u: any) => u.name === 'Fablab Songpa')).toMatchObject({ locatable: false, location: { city: 'Seoul', country: 'KR' } });
  });

  it('an imported unit has no operator until a platform admin names one', async () => {
    const [lab] = await t.sql<{ id: string }>(`SELECT id FROM fabrication.fab_units ORDER BY name LIMIT 1`);
    expect((await t.http.patch(`/fab-units/${lab!.id}`, { description: 'Ours now' }, { token: person.token })).status).toBe(403);
    expect((await t.http.post(`/fab-units/${lab!.id}/operators`, { accountId: person.accountId }, { token: person.token })).status).toBe(403);
    const named = await t.http.post(`/fab-units/${lab!.id}/operators`, { accountId: person.accountId }, { token: admin });
    expect(named.status).toBe(201);
    expect(named.body.operators).toEqual([person.accountId]);
    const patched = await t.http.patch(`/fab-units/${lab!.id}`, { accessType: 'Membership' }, { token: person.token });
    expect(patched.status).toBe(200);
    // What an operator set wins over a later import: the import only fills gaps.
    const again = await t.http.post('/fab-units/import', undefined, { token: admin, raw: FABLABS, contentType: 'application/json' });
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2237 });
    expect((await t.http.get(`/fab-units/${lab!.id}`)).body.accessType).toBe('Membership');
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await state();
    const answer = await t.http.post('/fab-units/import', undefined, { token: admin, raw: FABLABS, contentType: 'application/json' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ records: 2237, created: 0, updated: 0, unchanged: 2237, flaggedNotLocatable: 201 });
    expect(await state()).toEqual(before);
  });

  it('merges records of the same name and url (case, scheme, www and slashes aside), within a body and with what exists', async () => {
    const labs = JSON.parse(FABLABS) as any[];
    const first = labs[1]!;
    const twin = structuredClone(first);
    twin.facility.name = `  ${first.facility.name.toUpperCase()} `;
    twin.facility.url = first.facility.url.replace('https://www.', 'http://') + '/';
    const newcomer = structuredClone(labs[2]);
    newcomer.facility.name = 'A lab that was not there';
    newcomer.facility.url = 'https://example.org/new-lab';
    const twinOfNew = structuredClone(newcomer);
    twinOfNew.facility.name = 'a lab that was NOT there';

    const before = await state();
    const answer = await t.http.post('/fab-units/import', [twin, newcomer, twinOfNew], { token: admin });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ records: 3, created: 1, merged: 1, unchanged: 1, updated: 0 });
    expect((await state()).units).toBe(before.units + 1);
  });

  it('fills what an existing unit lacks from an OKW record, and only that', async () => {
    const [lab] = await t.sql<{ id: string; name: string; url: string; city: string }>(
      `SELECT id, name, url, city FROM fabrication.fab_units WHERE city IS NOT NULL AND description IS NULL ORDER BY name LIMIT 1`,
    );
    const okw = {
      name: lab!.name,
      url: lab!.url,
      description: 'Now with a laser cutter',
      location: { address: { city: 'Somewhere else' } },
      equipment: [{ equipment_type: 'laser cutter', make: 'Epilog', model: 'Fusion', materials_worked: ['plywood'] }],
    };
    const answer = await t.http.post('/fab-units/import', okw, { token: admin });
    expect(answer.body).toMatchObject({ created: 0, updated: 1, ids: [lab!.id] });
    const unit = (await t.http.get(`/fab-units/${lab!.id}`)).body;
    expect(unit.description).toBe('Now with a laser cutter');
    expect(unit.location.city).toBe(lab!.city);
    expect(unit.machines).toMatchObject([{ process: 'laser-cutting', make: 'Epilog', materials: ['plywood'] }]);
    expect((await t.http.post('/fab-units/import', okw, { token: admin })).body).toMatchObject({ updated: 0, unchanged: 1 });
  });

  it('imports OKW YAML (Helpful Engineering variant) and a full OKW v1 JSON facility', async () => {
    const yaml = await t.http.post('/fab-units/import', undefined, { token: admin, raw: ROBS_SHOP, contentType: 'application/yaml' });
    expect(yaml.status).toBe(200);
    expect(yaml.body).toMatchObject({ records: 1, created: 1, flaggedNotLocatable: 1 });
    const shop = (await t.http.get(`/fab-units/${yaml.body.ids[0]}`)).body;
    expect(shop.machines.map((m: any) => m.process)).toContain('soldering');

    const json = await t.http.post('/fab-units/import', undefined, { token: admin, raw: SYNTHETIC, contentType: 'application/json' });
    expect(json.body).toMatchObject({ records: 1, created: 1, flaggedNotLocatable: 0 });
    const center = (await t.http.get(`/fab-units/${json.body.ids[0]}`)).body;
    expect(center).toMatchObject({ name: 'Additive Manufacturing Center', status: 'Planned', location: { city: 'Boston', country: 'US' } });
    expect(center.machines.length).toBeGreaterThan(0);
  });

  it.each([
    ['invalid JSON', '{"facility": ', 'application/json', 400],
    ['invalid YAML', 'name: [unclosed', 'application/yaml', 400],
    ['no facility', '[]', 'application/json', 400],
    ['a record without a name', '{"description": "nameless"}', 'application/json', 400],
    ['an empty body', '   ', 'application/yaml', 400],
    ['another media type', '<facility/>', 'application/xml', 415],
  ])('answers %s with problem details and writes nothing', async (_label, raw, contentType, status) => {
    const before = await state();
    const answer = await t.http.post('/fab-units/import', undefined, { token: admin, raw, contentType });
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(await state()).toEqual(before);
  });
});
