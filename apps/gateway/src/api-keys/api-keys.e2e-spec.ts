import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';

jest.setTimeout(120_000);

const ALWAYS_OPEN = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '24:00' }]]));
const PRINTER = { process: '3d-printing.fdm', envelopeMm: { x: 250, y: 210, z: 220 }, materials: ['pla'] };

describe('API keys: a machine acts for its own fab unit only', () => {
  let t: TestSystem;
  let ada: { token: string; accountId: string };
  let bob: { token: string; accountId: string };
  let mine: any;
  let theirs: any;
  let key: { id: string; key: string };

  const unit = (name: string) => ({ name, url: `https://${name.toLowerCase().replace(/\s+/g, '-')}.example.org`, timezone: 'UTC', openingHours: ALWAYS_OPEN, machines: [PRINTER] });

  beforeAll(async () => {
    t = await startTestSystem({ services: ['gateway', 'fabrication'] });
    ada = await t.signUp('ada');
    bob = await t.signUp('bob');
    mine = (await t.http.post('/fab-units', unit('Ada Lab'), { token: ada.token })).body;
    theirs = (await t.http.post('/fab-units', unit('Bob Lab'), { token: bob.token })).body;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('an operator creates a key for the unit; it is shown once and stored hashed', async () => {
    const created = await t.http.post(`/fab-units/${mine.id}/api-keys`, { name: 'Prusa MK4 #1 (OctoPrint)' }, { token: ada.token });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ fabUnitId: mine.id, name: 'Prusa MK4 #1 (OctoPrint)', revokedAt: null });
    expect(created.body.key).toMatch(/^ck_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    key = created.body;
    const [row] = await t.sql<{ secret_hash: string }>(`SELECT secret_hash FROM gateway.api_keys WHERE id = $1`, [key.id]);
    expect(created.body.key).not.toContain(row!.secret_hash);
    const list = await t.http.get(`/fab-units/${mine.id}/api-keys`, { token: ada.token });
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).not.toHaveProperty('key');
  });

  it('only operators of the unit create keys: 403 for others, 404 for an unknown unit, 401 without credentials, 400 for a bad body', async () => {
    const before = await t.sql(`SELECT id FROM gateway.api_keys`);
    expect((await t.http.post(`/fab-units/${mine.id}/api-keys`, { name: 'sneaky' }, { token: bob.token })).status).toBe(403);
    expect((await t.http.post('/fab-units/00000000-0000-4000-8000-000000000000/api-keys', { name: 'x' }, { token: ada.token })).status).toBe(404);
    expect((await t.http.post(`/fab-units/${mine.id}/api-keys`, { name: 'x' })).status).toBe(401);
    const bad = await t.http.post(`/fab-units/${mine.id}/api-keys`, { name: '' }, { token: ada.token });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((await t.http.get(`/fab-units/${mine.id}/api-keys`, { token: bob.token })).status).toBe(403);
    expect(await t.sql(`SELECT id FROM gateway.api_keys`)).toEqual(before);
  });

  it('the key works on its own unit: stock, machines, reservations', async () => {
    const stock = await t.http.put(`/fab-units/${mine.id}/materials/pla`, { quantity: 2, unit: 'kg' }, { apiKey: key.key });
    expect(stock.status).toBe(200);
    expect(stock.body).toMatchObject({ material: 'pla', quantity: 2, unit: 'kg' });
    const machine = await t.http.patch(`/machines/${mine.machines[0].id}`, { status: 'maintenance' }, { apiKey: key.key });
    expect(machine.status).toBe(200);
    const start = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 86_400_000);
    const reservation = await t.http.post(
      `/fab-units/${mine.id}/reservations`,
      { machineId: mine.machines[0].id, start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString(), note: 'nozzle change' },
      { apiKey: key.key },
    );
    expect(reservation.status).toBe(201);
  });

  it("answers 403 on another unit's resources, and writes nothing", async () => {
    const before = [
      await t.sql(`SELECT * FROM fabrication.material_stock ORDER BY fab_unit_id, material`),
      await t.sql(`SELECT id, status FROM fabrication.machines ORDER BY id`),
      await t.sql(`SELECT id FROM fabrication.reservations ORDER BY id`),
    ];
    const answers = [
      await t.http.put(`/fab-units/${theirs.id}/materials/pla`, { quantity: 2, unit: 'kg' }, { apiKey: key.key }),
      await t.http.patch(`/machines/${theirs.machines[0].id}`, { status: 'retired' }, { apiKey: key.key }),
      await t.http.patch(`/fab-units/${theirs.id}`, { name: 'Taken over' }, { apiKey: key.key }),
      await t.http.post(
        `/fab-units/${theirs.id}/reservations`,
        { machineId: theirs.machines[0].id, start: '2030-01-01T00:00:00Z', end: '2030-01-01T01:00:00Z' },
        { apiKey: key.key },
      ),
      await t.http.get(`/fab-units/${theirs.id}/api-keys`, { apiKey: key.key }),
    ];
    for (const a of answers) {
      expect(a.status).toBe(403);
      expect(a.headers.get('content-type')).toContain('application/problem+json');
    }
    expect([
      await t.sql(`SELECT * FROM fabrication.material_stock ORDER BY fab_unit_id, material`),
      await t.sql(`SELECT id, status FROM fabrication.machines ORDER BY id`),
      await t.sql(`SELECT id FROM fabrication.reservations ORDER BY id`),
    ]).toEqual(before);
  });

  it('a key acts for a machine, not a person: it mints no keys, adds no operators, registers no units', async () => {
    expect((await t.http.post(`/fab-units/${mine.id}/api-keys`, { name: 'child key' }, { apiKey: key.key })).status).toBe(403);
    expect((await t.http.post(`/fab-units/${mine.id}/operators`, { accountId: bob.accountId }, { apiKey: key.key })).status).toBe(403);
    expect((await t.http.post('/fab-units', unit('Key Lab'), { apiKey: key.key })).status).toBe(403);
    expect((await t.http.get('/me', { apiKey: key.key })).status).toBe(403);
  });

  it('revoked, the key stops working at once (401); only operators revoke', async () => {
    expect((await t.http.delete(`/fab-units/${mine.id}/api-keys/${key.id}`, { token: bob.token })).status).toBe(403);
    const revoked = await t.http.delete(`/fab-units/${mine.id}/api-keys/${key.id}`, { token: ada.token });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const after = await t.http.put(`/fab-units/${mine.id}/materials/pla`, { quantity: 3, unit: 'kg' }, { apiKey: key.key });
    expect(after.status).toBe(401);
    expect(after.headers.get('content-type')).toContain('application/problem+json');
    expect((await t.http.get(`/fab-units/${mine.id}`, { apiKey: key.key })).status).toBe(401);
    const [row] = await t.sql<{ q: number }>(`SELECT quantity::float8 AS q FROM fabrication.material_stock WHERE fab_unit_id = $1`, [mine.id]);
    expect(row!.q).toBe(2);
  });

  it('a malformed or unknown key is a 401, never a 500', async () => {
    for (const apiKey of ['nonsense', `ck_${'0'.repeat(32)}_${'A'.repeat(43)}`]) {
      expect((await t.http.get(`/fab-units/${mine.id}`, { apiKey })).status).toBe(401);
    }
  });
});
