import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestMicroservice } from '@nestjs/common';
import { OutboxRelay } from '#libs/outbox/src/index.js';
import type { TestSystem } from '../../../test/support/test-system.js';
import { requestDirect, startWithNeighbourStubs } from '../../../test/support/production-fixtures.js';
import { ConnectorPool } from './connectors/connector-pool.js';
import { addStubDesign, addStubUnit, newNeighbourState } from './testing/neighbour-stubs.js';
import { freePort, type Spawned, startRedis } from './testing/processes.js';

jest.setTimeout(180_000);

/**
 * Redis holds no truth. A private redis-server (no persistence) carries this system's
 * transport and queues; it is killed mid-run and started again empty. The queues are rebuilt
 * from PostgreSQL (the outbox relay sees its sentinel gone and re-sends what was not done):
 * every job completes, none twice.
 */
describe('Redis restarted mid-run', () => {
  let redis: Spawned;
  let port: number;
  let t: TestSystem;
  let stubs: INestMicroservice;
  const state = newNeighbourState();
  const JOBS = 40;

  const count = async (sql: string) => Number((await t.sql<{ n: string }>(sql))[0]!.n);
  const until = async (check: () => Promise<boolean>, what: string, ms = 90_000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    ({ t, stubs } = await startWithNeighbourStubs(state, { redisUrl: `redis://127.0.0.1:${port}` }));
  });

  afterAll(async () => {
    await stubs?.close().catch(() => undefined);
    await t?.close().catch(() => undefined);
    if (redis?.child.exitCode === null) redis.child.kill('SIGKILL');
  });

  it('loses no job and doubles none', async () => {
    const requester = await t.signUp('requester');
    const design = addStubDesign(state);
    const unit = addStubUnit(state, { name: 'Steady lab' });
    const ids: string[] = [];
    const requestIds: string[] = [];
    for (let i = 0; i < JOBS; i++) {
      const request = await requestDirect(t, requester.token, unit, { designVersionId: design.designVersionId });
      ids.push(request.jobs[0]!.id);
      requestIds.push(request.id);
    }

    // A slow machine (250 ms a job, 4 at a time): the run is under way when Redis goes.
    await t.system.backends.production!.get(ConnectorPool).automate({ fabUnitId: unit.id, concurrency: 4, workMs: 250 });
    const completed = () => count(`SELECT count(*) AS n FROM production.jobs WHERE state = 'completed'`);
    await until(async () => (await completed()) >= 8, 'a few completions');
    const relay = t.system.backends.production!.get(OutboxRelay);
    const reconcilesBefore = relay.stats.reconciles;

    redis.child.kill('SIGKILL');
    await redis.exited;
    const doneAtLoss = await completed();
    expect(doneAtLoss).toBeLessThan(JOBS);
    await new Promise((r) => setTimeout(r, 1000));
    redis = await startRedis(port); // empty: no queue, no job, no sentinel

    await until(async () => (await completed()) === JOBS, `all ${JOBS} jobs completed`);
    expect(relay.stats.reconciles).toBeGreaterThan(reconcilesBefore);
    // Re-sent from PostgreSQL: the fab queue entries of the jobs not known done at the loss.
    const resent = await count(`SELECT count(*) AS n FROM production.outbox WHERE queue LIKE 'fab-%' AND sends > 1`);
    expect(resent).toBeGreaterThan(0);

    // None doubled: one completion, one provenance record, one build report and one consumption per job.
    expect(await count(`SELECT count(*) AS n FROM production.job_transitions WHERE to_state = 'completed'`)).toBe(JOBS);
    expect(await count(`SELECT count(*) AS n FROM (SELECT job_id FROM production.job_transitions GROUP BY job_id, action HAVING count(*) > 1) d`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM production.provenance`)).toBe(JOBS);
    expect(await count(`SELECT count(*) AS n FROM production.outbox, jsonb_array_elements(payload->'reports') r WHERE queue = 'commons-build-reports'`)).toBe(JOBS);
    expect(await count(`SELECT count(DISTINCT r->>'sourceJobId') AS n FROM production.outbox, jsonb_array_elements(payload->'reports') r WHERE queue = 'commons-build-reports'`)).toBe(JOBS);
    expect(await count(`SELECT count(*) AS n FROM production.outbox, jsonb_array_elements_text(payload->'keys') k WHERE queue = 'fabrication-reservations' AND payload->>'outcome' = 'consume'`)).toBe(JOBS);
    expect(await count(`SELECT count(DISTINCT k) AS n FROM production.outbox, jsonb_array_elements_text(payload->'keys') k WHERE queue = 'fabrication-reservations'`)).toBe(JOBS);
    expect(await count(`SELECT count(*) AS n FROM production.requests WHERE state = 'fulfilled'`)).toBe(JOBS);
    expect(new Set(ids).size).toBe(JOBS);

    // And the system answers again over the restarted transport.
    const after = await t.http.get(`/production-requests/${requestIds[0]}`, { token: requester.token });
    expect(after.status).toBe(200);
    expect(after.body.state).toBe('fulfilled');
  });
});
