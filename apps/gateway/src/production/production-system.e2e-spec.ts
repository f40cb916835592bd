import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';
import { eventually } from '#libs/testing/src/eventually.js';

jest.setTimeout(120_000);

const ALWAYS_OPEN = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '24:00' }]]));
const LILLE = { lat: 50.6292, lon: 3.0573 };

/**
 * The whole system, no stand-ins: a design published in commons, a fab unit with a printer and
 * PETG in fabrication, a direct request matched and reserved there, worked by the unit's
 * machine key, completed; the build report reaches commons and the material is consumed at
 * fabrication, both through production's outbox and BullMQ.
 */
describe('production with the real commons and fabrication', () => {
  let t: TestSystem;

  beforeAll(async () => {
    t = await startTestSystem();
  });

  afterAll(async () => {
    await t?.close();
  });


  it('turns a direct request into a reserved job, a provenance record, a build report and consumed stock', async () => {
    const designer = await t.signUp('designer');
    const operator = await t.signUp('operator');
    const requester = await t.signUp('requester');

    const design = await t.http.post(
      '/designs',
      {
        title: 'Tube clamp 22 mm',
        function: 'Clamps a 22 mm tube to a 2040 aluminium profile',
        license: 'CERN-OHL-S-2.0',
        licensors: [{ name: 'Ada Lovelace' }],
        contributors: [{ name: 'Charles Babbage' }],
        keywords: ['clamp'],
        bom: [],
        links: [],
        requirements: [
          { process: 'FDM', material: 'PETG', envelopeMm: { x: 60, y: 40, z: 30 }, machineMinutesPerUnit: 95, materialQuantityPerUnit: 42.5, materialUnit: 'grams' },
        ],
      },
      { token: designer.token },
    );
    expect(design.status).toBe(201);

    const unit = await t.http.post(
      '/fab-units',
      {
        name: 'Fab Lab Lille',
        kind: 'fablab',
        location: { ...LILLE, city: 'Lille', country: 'fr' },
        timezone: 'Europe/Paris',
        openingHours: ALWAYS_OPEN,
        machines: [{ process: '3d-printing.fdm', make: 'Prusa', model: 'MK4', envelopeMm: { x: 250, y: 210, z: 220 }, materials: ['pla', 'petg'] }],
        materials: [{ material: 'petg', quantity: 5, unit: 'kg' }],
      },
      { token: operator.token },
    );
    expect(unit.status).toBe(201);
    const fabUnitId = unit.body.id as string;
    const key = (await t.http.post(`/fab-units/${fabUnitId}/api-keys`, { name: 'OctoPrint' }, { token: operator.token })).body.key as string;

    const created = await t.http.post(
      '/production-requests',
      {
        designVersionId: design.body.designVersionId,
        quantity: 2,
        delivery: LILLE,
        needBy: new Date(Date.now() + 30 * 86400_000).toISOString(),
        purpose: 'Clamps for the repair café',
        mode: 'direct',
        fabUnitId,
      },
      { token: requester.token, headers: { 'idempotency-key': randomUUID() } },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'funded', costVector: { machineMinutes: { '3d-printing.fdm': 190 } } });
    const jobId = created.body.jobs[0].id as string;
    const job = await t.http.get(`/jobs/${jobId}`, { apiKey: key });
    expect(job.body).toMatchObject({ state: 'queued', process: '3d-printing.fdm', material: 'petg', minutes: 190, materialQuantity: 85, materialUnit: 'g' });
    expect(job.body.reservation.reservationIds.length).toBeGreaterThan(0);
    expect(await t.sql(`SELECT quantity FROM fabrication.material_holds WHERE key = $1 AND consumed_at IS NULL`, [jobId])).toHaveLength(1);

    expect((await t.http.post(`/fab-units/${fabUnitId}/jobs/next`, undefined, { apiKey: key })).body.id).toBe(jobId);
    expect((await t.http.post(`/jobs/${jobId}/start`, undefined, { apiKey: key })).status).toBe(200);
    expect((await t.http.post(`/jobs/${jobId}/complete`, { notes: 'PETG, 0.2 mm' }, { apiKey: key })).status).toBe(200);

    const provenance = await t.http.get(`/jobs/${jobId}/provenance`, { token: requester.token });
    expect(provenance.body).toMatchObject({
      design: { designVersionId: design.body.designVersionId, contentHash: design.body.contentHash, license: 'CERN-OHL-S-2.0' },
      fabUnitId,
      materialsConsumed: [{ material: 'petg', quantity: 85, unit: 'g' }],
    });
    expect(provenance.body.design.attribution.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['Ada Lovelace']));

    // Through the outbox: commons records the build, fabrication consumes the hold.
    await eventually(async () => (await t.sql(`SELECT 1 FROM commons.build_reports WHERE source_job_id = $1`, [jobId])).length === 1, 'build report in commons');
    await eventually(
      async () => (await t.sql(`SELECT 1 FROM fabrication.material_holds WHERE key = $1 AND consumed_at IS NOT NULL`, [jobId])).length === 1,
      'material consumed at fabrication',
    );
    expect((await t.http.get(`/production-requests/${created.body.id}`, { token: requester.token })).body.state).toBe('fulfilled');
  });
});
