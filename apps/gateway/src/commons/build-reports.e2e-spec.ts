import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Controller, type DynamicModule, type INestMicroservice, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { type Job, Queue } from 'bullmq';
import { LoggerModule } from 'nestjs-pino';
import { BUILD_REPORT_JOBS, type BuildReportMessage, type BuildReportsMessage } from '#libs/contracts/src/commons/index.js';
import { type AuthzAnswer, authzPattern, type AuthzQuery, QUEUES, redisConnectionOptions } from '#libs/contracts/src/index.js';
import { loggerParams, startMicroservice } from '#libs/platform/src/index.js';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';
import { formatKey, hashSecret, newSecret, parseKey } from '../api-keys/api-key-secret.js';
import { clampDesign } from './commons-fixtures.js';

jest.setTimeout(60_000);

type Person = { token: string; accountId: string; email: string };

const UNIT = '11111111-1111-4111-8111-111111111111';
const OTHER_UNIT = '22222222-2222-4222-8222-222222222222';
const UNKNOWN_UNIT = '33333333-3333-4333-8333-333333333333';
const COUNCIL = '44444444-4444-4444-8444-444444444444';
const UNKNOWN_COUNCIL = '55555555-5555-4555-8555-555555555555';
const SILENT_COUNCIL = '66666666-6666-4666-8666-666666666666';

/** Who operates which unit and who administers which council, as the stand-ins below decide. */
const operators = new Map<string, Set<string>>();
const councilAdmins = new Set<string>();

/**
 * Stand-ins for fabrication's and council's role checks, answering on the real transport (the
 * messages travel through Redis exactly as they will to the real services), so these tests do
 * not depend on those capabilities' progress. An API key operates its own unit, as fabrication rules.
 */
@Controller()
class FabricationAuthzStandIn {
  @MessagePattern(authzPattern('fabrication'))
  check(@Payload('data') q: AuthzQuery): AuthzAnswer {
    if (q.resource !== 'fab-unit' || q.id === UNKNOWN_UNIT) return 'not_found';
    if (q.actor.kind === 'machine') return q.actor.fabUnitId === q.id ? 'allowed' : 'forbidden';
    return operators.get(q.id)?.has(q.actor.accountId) ? 'allowed' : 'forbidden';
  }
}

@Controller()
class CouncilAuthzStandIn {
  @MessagePattern(authzPattern('council'))
  check(@Payload('data') q: AuthzQuery): Promise<AuthzAnswer> | AuthzAnswer {
    if (q.id === SILENT_COUNCIL) return new Promise<AuthzAnswer>(() => undefined);
    if (q.resource !== 'council' || q.id !== COUNCIL) return 'not_found';
    return q.role === 'admin' && q.actor.accountId && councilAdmins.has(q.actor.accountId) ? 'allowed' : 'forbidden';
  }
}

@Module({})
class StandInsModule {
  static forRoot(config: TestSystem['config']): DynamicModule {
    return {
      module: StandInsModule,
      imports: [LoggerModule.forRoot(loggerParams(config, 'stand-ins'))],
      controllers: [FabricationAuthzStandIn, CouncilAuthzStandIn],
    };
  }
}

describe('build reports and endorsements', () => {
  let t: TestSystem;
  let standIns: INestMicroservice;
  let ada: Person; // maintainer
  let olga: Person; // operator of UNIT
  let pat: Person; // nobody in particular
  let design: { designId: string; slug: string; designVersionId: string; contentHash: string };
  let machineKey: string;
  let otherMachineKey: string;
  let queue: Queue;

  const insertKey = async (fabUnitId: string) => {
    const secret = newSecret();
    const [row] = await t.sql<{ id: string }>(
      `INSERT INTO gateway.api_keys (fab_unit_id, name, secret_hash) VALUES ($1, 'printer bridge', $2) RETURNING id`,
      [fabUnitId, hashSecret(secret)],
    );
    return formatKey(row!.id, secret);
  };
  const reports = async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM commons.build_reports`))[0]!.n;
  const headCounts = async () =>
    (
      await t.sql<{ successful_builds: number; failed_builds: number; units_built: number; endorsements: number; verified: boolean }>(
        `SELECT successful_builds, failed_builds, units_built::int, endorsements, verified FROM commons.designs WHERE id = $1`,
        [design.designId],
      )
    )[0]!;
  const report = (body: Record<string, unknown>, auth: { token?: string; apiKey?: string }, version = '1.0.0') =>
    t.http.post(`/designs/${design.designId}/versions/${version}/build-reports`, body, auth);

  beforeAll(async () => {
    t = await startTestSystem({ services: ['gateway', 'commons'], config: { rpcTimeoutMs: 1500 } });
    standIns = await startMicroservice(StandInsModule.forRoot(t.config), t.config);
    [ada, olga, pat] = [await t.signUp('ada'), await t.signUp('olga'), await t.signUp('pat')];
    operators.set(UNIT, new Set([olga.accountId]));
    operators.set(OTHER_UNIT, new Set());
    councilAdmins.add(pat.accountId);
    const created = await t.http.post('/designs', clampDesign({ title: 'Reported widget' }), { token: ada.token });
    design = created.body;
    machineKey = await insertKey(UNIT);
    otherMachineKey = await insertKey(OTHER_UNIT);
    queue = new Queue(QUEUES.buildReports, {
      connection: { ...redisConnectionOptions(t.config.redisUrl), maxRetriesPerRequest: null },
      prefix: `${t.config.namespace}:bull`,
    });
  });
  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await standIns?.close();
    await t?.close();
  });

  describe('POST /designs/{id}/versions/{version}/build-reports', () => {
    it('takes an operator\'s report; a successful one makes the version verified manufacturable', async () => {
      const answer = await report({ fabUnitId: UNIT, success: true, quantity: 2, notes: 'PETG, 0.2 mm', photoUrl: 'https://example.org/p.jpg' }, { token: olga.token });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ designVersionId: design.designVersionId, fabUnitId: UNIT, success: true, quantity: 2, source: 'http' });
      const version = await t.http.get(`/designs/${design.designId}/versions/1.0.0`);
      expect(version.body).toMatchObject({ verified: true, builds: { successful: 1, failed: 0, unitsBuilt: 2 } });
      const head = await t.http.get(`/designs/${design.designId}`);
      expect(head.body).toMatchObject({ verified: true, builds: { successful: 1, failed: 0, unitsBuilt: 2 } });
      expect(head.body.versions[0]).toMatchObject({ verified: true, builds: { successful: 1 } });
    });

    it("takes a report from a machine's API key for its own unit, and counts failures apart", async () => {
      const answer = await report({ fabUnitId: UNIT, success: false, quantity: 1, notes: 'warped' }, { apiKey: machineKey });
      expect(answer.status).toBe(201);
      const [row] = await t.sql<{ api_key_id: string; reported_by: string | null }>(`SELECT api_key_id, reported_by FROM commons.build_reports WHERE id = $1`, [answer.body.id]);
      expect(row).toEqual({ api_key_id: parseKey(machineKey)!.id, reported_by: null });
      expect(await headCounts()).toEqual({ successful_builds: 1, failed_builds: 1, units_built: 2, endorsements: 0, verified: true });
    });

    it('refuses non-operators (403), unknown units and designs (404) and anonymous callers (401), writing nothing', async () => {
      const before = await reports();
      expect((await report({ fabUnitId: UNIT, success: true, quantity: 1 }, { token: pat.token })).status).toBe(403);
      expect((await report({ fabUnitId: UNIT, success: true, quantity: 1 }, { apiKey: otherMachineKey })).status).toBe(403);
      expect((await report({ fabUnitId: OTHER_UNIT, success: true, quantity: 1 }, { token: olga.token })).status).toBe(403);
      const unknownUnit = await report({ fabUnitId: UNKNOWN_UNIT, success: true, quantity: 1 }, { token: olga.token });
      expect(unknownUnit.status).toBe(404);
      expect(unknownUnit.body.detail).toContain(UNKNOWN_UNIT);
      expect((await report({ fabUnitId: UNIT, success: true, quantity: 1 }, { token: olga.token }, '9.9.9')).status).toBe(404);
      const unknownDesign = await t.http.post('/designs/no-such-design/versions/1.0.0/build-reports', { fabUnitId: UNIT, success: true, quantity: 1 }, { token: olga.token });
      expect(unknownDesign.status).toBe(404);
      expect((await report({ fabUnitId: UNIT, success: true, quantity: 1 }, {})).status).toBe(401);
      expect(await reports()).toBe(before);
    });

    it.each([
      [{ fabUnitId: UNIT, success: true, quantity: 0 }, 'quantity'],
      [{ fabUnitId: UNIT, success: true, quantity: 1.5 }, 'quantity'],
      [{ fabUnitId: 'unit-1', success: true, quantity: 1 }, 'fabUnitId'],
      [{ fabUnitId: UNIT, success: 'yes', quantity: 1 }, 'success'],
      [{ fabUnitId: UNIT, success: true, quantity: 1, photoUrl: 'javascript:alert(1)' }, 'photoUrl'],
      [{ fabUnitId: UNIT, success: true, quantity: 1, rating: 5 }, 'rating'],
    ])('answers %p with 400 naming %s, writing nothing', async (body, field) => {
      const before = await reports();
      const answer = await report(body, { token: olga.token });
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await reports()).toBe(before);
    });
  });

  describe('production\'s build reports through BullMQ', () => {
    const message = (sourceJobId: string, overrides: Partial<BuildReportMessage> = {}): BuildReportMessage => ({
      sourceJobId,
      designVersionId: design.designVersionId,
      fabUnitId: UNIT,
      success: true,
      quantity: 5,
      notes: 'production job completed',
      reportedAt: '2026-01-01T10:00:00.000Z',
      ...overrides,
    });
    const settled = async (job: Job) => {
      for (let i = 0; i < 400; i++) {
        const state = await job.getState();
        if (state === 'completed' || state === 'failed') return { state, job: (await queue.getJob(job.id!))! };
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`job ${job.id} did not settle`);
    };

    it('a message processed twice changes the database once', async () => {
      const before = await headCounts();
      // Two deliveries of one report (distinct queue entries, so BullMQ's own dedupe does not hide it).
      const first = await queue.add('build-report', message('job-42'), { jobId: 'delivery-1', attempts: 3 });
      const second = await queue.add('build-report', message('job-42'), { jobId: 'delivery-2', attempts: 3 });
      const results = await Promise.all([settled(first), settled(second)]);
      expect(results.map((r) => r.state)).toEqual(['completed', 'completed']);
      expect(results.map((r) => r.job.returnvalue.stored).sort()).toEqual([false, true]);
      const rows = await t.sql(`SELECT source, source_job_id, quantity, reported_at FROM commons.build_reports WHERE source_job_id = 'job-42'`);
      expect(rows).toEqual([{ source: 'production', source_job_id: 'job-42', quantity: 5, reported_at: new Date('2026-01-01T10:00:00.000Z') }]);
      const after = await headCounts();
      expect(after).toMatchObject({ successful_builds: before.successful_builds + 1, units_built: before.units_built + 5 });
    });

    it('fails a message that can never succeed at once, without retries or writes', async () => {
      const before = await reports();
      const unknown = await queue.add('build-report', message('job-43', { designVersionId: '00000000-0000-4000-8000-000000000000' }), { attempts: 5 });
      const malformed = await queue.add('build-report', { ...message('job-44'), quantity: -1 } as BuildReportMessage, { attempts: 5 });
      for (const job of [unknown, malformed]) {
        const { state, job: settledJob } = await settled(job);
        expect(state).toBe('failed');
        expect(settledJob.attemptsMade).toBe(1);
      }
      expect((await queue.getJob(malformed.id!))!.failedReason).toContain('quantity');
      expect(await reports()).toBe(before);
    });

    it('a batch (the reports of one production transaction) is stored once; a redelivery writes nothing', async () => {
      const before = await headCounts();
      const batch: BuildReportsMessage = { reports: ['job-b1', 'job-b2', 'job-b3'].map((id) => message(id)) };
      const first = await queue.add(BUILD_REPORT_JOBS.batch, batch, { jobId: 'batch-delivery-1', attempts: 3 });
      const second = await queue.add(BUILD_REPORT_JOBS.batch, batch, { jobId: 'batch-delivery-2', attempts: 3 });
      const results = await Promise.all([settled(first), settled(second)]);
      expect(results.map((r) => r.state)).toEqual(['completed', 'completed']);
      expect(results.map((r) => r.job.returnvalue).sort((a, b) => a.stored - b.stored)).toEqual([
        { stored: 0, repeated: 3 },
        { stored: 3, repeated: 0 },
      ]);
      const rows = await t.sql(`SELECT source_job_id, source, quantity FROM commons.build_reports WHERE source_job_id LIKE 'job-b%' ORDER BY source_job_id`);
      expect(rows).toEqual(['job-b1', 'job-b2', 'job-b3'].map((id) => ({ source_job_id: id, source: 'production', quantity: 5 })));
      expect(await headCounts()).toMatchObject({ successful_builds: before.successful_builds + 3, units_built: before.units_built + 15 });
    });

    it('a report of an unknown version does not hold back the others of its batch: they are stored, the job fails naming it', async () => {
      const unknownVersion = '00000000-0000-4000-8000-000000000000';
      const batch: BuildReportsMessage = { reports: [message('job-b4'), message('job-b5', { designVersionId: unknownVersion }), message('job-b3')] };
      const { state, job } = await settled(await queue.add(BUILD_REPORT_JOBS.batch, batch, { attempts: 5 }));
      expect(state).toBe('failed');
      expect(job.attemptsMade).toBe(1);
      expect(job.failedReason).toContain(`job job-b5: design version ${unknownVersion}`);
      expect(job.failedReason).toContain('the other 2 are stored');
      const rows = await t.sql(`SELECT source_job_id FROM commons.build_reports WHERE source_job_id IN ('job-b3', 'job-b4', 'job-b5') ORDER BY source_job_id`);
      expect(rows).toEqual([{ source_job_id: 'job-b3' }, { source_job_id: 'job-b4' }]);
    });

    it('fails a malformed batch at once, storing none of it', async () => {
      const before = await reports();
      const malformed = await queue.add(BUILD_REPORT_JOBS.batch, { reports: [message('job-b6'), { ...message('job-b7'), quantity: -1 }] }, { attempts: 5 });
      const empty = await queue.add(BUILD_REPORT_JOBS.batch, { reports: [] }, { attempts: 5 });
      for (const job of [malformed, empty]) {
        const { state, job: settledJob } = await settled(job);
        expect(state).toBe('failed');
        expect(settledJob.attemptsMade).toBe(1);
      }
      expect((await queue.getJob(malformed.id!))!.failedReason).toContain('reports.1.quantity');
      expect(await reports()).toBe(before);
    });
  });

  describe('POST /designs/{id}/versions/{version}/endorsements', () => {
    const endorse = (body: Record<string, unknown>, token?: string, version = '1.0.0') =>
      t.http.post(`/designs/${design.designId}/versions/${version}/endorsements`, body, { token });
    const endorsements = async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM commons.endorsements`))[0]!.n;

    it("records a maintainer's endorsement once (409 the second time)", async () => {
      const answer = await endorse({ note: 'We stand by it' }, ada.token);
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ kind: 'maintainer', endorserId: ada.accountId, note: 'We stand by it', designVersionId: design.designVersionId });
      expect((await endorse({}, ada.token)).status).toBe(409);
      const version = await t.http.get(`/designs/${design.designId}/versions/latest`);
      expect(version.body.endorsements).toHaveLength(1);
    });

    it("records a council's endorsement by one of its admins", async () => {
      const answer = await endorse({ councilId: COUNCIL }, pat.token);
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ kind: 'council', endorserId: COUNCIL });
      expect((await endorse({ councilId: COUNCIL }, pat.token)).status).toBe(409);
      expect((await t.http.get(`/designs/${design.designId}`)).body.endorsements).toBe(2);
    });

    it('refuses others (403), unknown councils (404), bad bodies (400) and anonymous callers (401), writing nothing', async () => {
      const before = await endorsements();
      expect((await endorse({}, pat.token)).status).toBe(403);
      expect((await endorse({ councilId: COUNCIL }, olga.token)).status).toBe(403);
      expect((await endorse({ councilId: UNKNOWN_COUNCIL }, pat.token)).status).toBe(404);
      expect((await endorse({ councilId: 'council-1' }, pat.token)).status).toBe(400);
      expect((await endorse({}, ada.token, '9.9.9')).status).toBe(404);
      expect((await endorse({})).status).toBe(401);
      const machine = await t.http.post(`/designs/${design.designId}/versions/1.0.0/endorsements`, {}, { apiKey: machineKey });
      expect(machine.status).toBe(403);
      expect(await endorsements()).toBe(before);
    });

    it('answers 503 when the council service does not answer, and records nothing', async () => {
      const before = await endorsements();
      const answer = await endorse({ councilId: SILENT_COUNCIL }, pat.token);
      expect(answer.status).toBe(503);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(await endorsements()).toBe(before);
    });
  });

  describe('what an API key may not do', () => {
    it('publishes, forks, imports and maintains nothing (403): a key acts for a fab unit, not a person', async () => {
      const before = await t.sql(`SELECT count(*)::int AS n FROM commons.design_versions`);
      expect((await t.http.post('/designs', clampDesign({ title: 'Machine made' }), { apiKey: machineKey })).status).toBe(403);
      expect((await t.http.post(`/designs/${design.designId}/forks`, {}, { apiKey: machineKey })).status).toBe(403);
      expect((await t.http.post(`/designs/${design.designId}/versions`, clampDesign({ version: '9.0.0' }), { apiKey: machineKey })).status).toBe(403);
      const manifest = 'okhv = "OKH-LOSHv1.0"\nname = "Machine import"\nlicense = "MIT"\n';
      expect((await t.http.post('/designs/import', undefined, { raw: manifest, contentType: 'application/toml', apiKey: machineKey })).status).toBe(403);
      expect(await t.sql(`SELECT count(*)::int AS n FROM commons.design_versions`)).toEqual(before);
    });
  });

  describe('immutability of what was reported', () => {
    it('neither reports nor endorsements alter the version; the database refuses to alter reports', async () => {
      const [row] = await t.sql<{ content_hash: string }>(`SELECT content_hash FROM commons.design_versions WHERE id = $1`, [design.designVersionId]);
      expect(row!.content_hash).toBe(design.contentHash);
      await expect(t.sql(`UPDATE commons.build_reports SET success = NOT success`)).rejects.toThrow(/UPDATE on commons.build_reports refused/);
      await expect(t.sql(`DELETE FROM commons.endorsements`)).rejects.toThrow(/DELETE on commons.endorsements refused/);
    });
  });
});
