import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestMicroservice } from '@nestjs/common';
import { type Queue, UnrecoverableError, Worker } from 'bullmq';
import pg from 'pg';
import { MAX_REQUEUES, QUEUES } from '#libs/contracts/src/index.js';
import { OutboxRelay } from '#libs/outbox/src/index.js';
import type { TestSystem } from '../../../../test/support/test-system.js';
import { bullOptions, openFabQueue, requestDirect, startWithNeighbourStubs, stopWithNeighbourStubs } from '../../../../test/support/production-fixtures.js';
import { ConnectorPool } from '../connectors/connector-pool.js';
import { addStubDesign, addStubUnit, DEFAULT_STEP, newNeighbourState, type StubUnit } from '../testing/neighbour-stubs.js';
import { JobWork } from './job-work.js';
import { fabEntryId } from './requeue.js';
import { REQUEUE_SWEEP_LOCK, RequeueSweep } from './requeue-sweep.js';

jest.setTimeout(180_000);

/**
 * The re-queue sweep against real PostgreSQL and Redis: a live job whose queue entry died
 * (removed from Redis, failed for good) gets a new entry and completes once; past the cap it
 * fails, saying why; a job taken over HTTP is left to its people.
 */
describe('the re-queue sweep', () => {
  let t: TestSystem;
  let stubs: INestMicroservice;
  const state = newNeighbourState();
  let requester: { token: string; accountId: string };
  let operator: { token: string; accountId: string };
  let design: ReturnType<typeof addStubDesign>;
  const queues: Queue[] = [];

  const rows = <T = Record<string, any>>(sql: string, params?: unknown[]) => t.sql<T>(sql, params);
  const until = async (check: () => Promise<boolean>, what: string, ms = 60_000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const backend = () => t.system.backends.production!;
  const sweep = () => backend().get(RequeueSweep);
  const direct = (unit: StubUnit) => requestDirect(t, requester.token, unit, { designVersionId: design.designVersionId });
  const transitions = (jobId: string) =>
    rows<{ action: string; from_state: string | null; to_state: string; actor_kind: string; detail: Record<string, any> | null }>(
      `SELECT action, from_state, to_state, actor_kind, detail FROM production.job_transitions WHERE job_id = $1 ORDER BY id`,
      [jobId],
    );
  /** The relay has handed the entry to BullMQ. */
  const sent = (queue: Queue, entryId: string) =>
    until(async () => (await queue.getJob(entryId)) !== undefined && (await rows(`SELECT 1 FROM production.outbox WHERE job_id = $1 AND sent_at IS NOT NULL`, [entryId])).length === 1, `entry ${entryId} sent`);
  /**
   * Waits until the relay has seen the entry finish or vanish (its `done_at` mark). The relay looks
   * only at entries sent 10 s ago or more: their send time is moved back instead of waiting (time mocked).
   */
  const relayDone = async (entryId: string) => {
    const relay = backend().get(OutboxRelay);
    await until(async () => {
      await t.sql(`UPDATE production.outbox SET sent_at = sent_at - interval '1 hour' WHERE sent_at > now() - interval '1 hour' AND done_at IS NULL`);
      await relay.sweep();
      return (await rows(`SELECT 1 FROM production.outbox WHERE job_id = $1 AND done_at IS NOT NULL`, [entryId])).length === 1;
    }, `entry ${entryId} known done`);
  };
  const requeues = async (jobId: string) =>
    Number((await rows<{ n: string }>(`SELECT count(*) AS n FROM production.job_transitions WHERE job_id = $1 AND action = 'requeue'`, [jobId]))[0]!.n);

  beforeAll(async () => {
    ({ t, stubs } = await startWithNeighbourStubs(state));
    requester = await t.signUp('requester');
    operator = await t.signUp('operator');
    design = addStubDesign(state);
  });

  afterAll(async () => {
    await stopWithNeighbourStubs(t, stubs, queues);
  });

  it('re-queues a job whose Redis entry was removed, once however many sweeps run; it completes once', async () => {
    const unit = addStubUnit(state, { name: 'Forgetful lab' });
    const queue = openFabQueue(t, unit, queues);
    const r = await direct(unit);
    const jobId = r.jobs[0]!.id;
    await sent(queue, jobId);

    // A live entry: nothing to do.
    await sweep().run({ minAgeMs: 0 });
    expect(await requeues(jobId)).toBe(0);

    expect(await queue.remove(jobId)).toBe(1);
    await relayDone(jobId);

    // Another process holds the sweep's lock: this one skips its round.
    const holder = new pg.Client({ connectionString: t.config.databaseUrl });
    await holder.connect();
    await holder.query(`SELECT pg_advisory_lock(hashtext($1))`, [REQUEUE_SWEEP_LOCK]);
    expect(await sweep().run({ minAgeMs: 0 })).toBeNull();
    expect(await requeues(jobId)).toBe(0);
    await holder.query(`SELECT pg_advisory_unlock(hashtext($1))`, [REQUEUE_SWEEP_LOCK]);
    await holder.end();

    // Two production processes sweeping at once (the second a separate sweeper, as in another process).
    const other = new RequeueSweep(backend().get(JobWork), { redisUrl: t.config.redisUrl, namespace: t.config.namespace });
    const reports = await Promise.all([sweep().run({ minAgeMs: 0 }), other.run({ minAgeMs: 0 }), sweep().run({ minAgeMs: 0 })]);
    await other.stop();
    expect(reports.flatMap((x) => x?.requeued ?? []).filter((id) => id === jobId)).toEqual([jobId]);
    const entryId = fabEntryId(jobId, 1);
    expect(await transitions(jobId)).toEqual([
      expect.objectContaining({ action: 'create', to_state: 'queued' }),
      {
        action: 'requeue',
        from_state: 'queued',
        to_state: 'queued',
        actor_kind: 'system',
        detail: { requeue: 1, entry: entryId, deadEntry: `entry ${jobId} is gone from the queue` },
      },
    ]);
    expect(await rows(`SELECT queue, payload FROM production.outbox WHERE job_id = $1`, [entryId])).toEqual([{ queue: QUEUES.fabUnit(unit.id), payload: { jobId } }]);
    await sent(queue, entryId);
    // The new entry lives: later sweeps leave it.
    await sweep().run({ minAgeMs: 0 });
    expect(await requeues(jobId)).toBe(1);

    const pool = backend().get(ConnectorPool);
    await pool.automate({ fabUnitId: unit.id, concurrency: 2, workMs: 0 });
    await until(async () => (await rows(`SELECT 1 FROM production.jobs WHERE id = $1 AND state = 'completed'`, [jobId])).length === 1, 'completed');
    await until(async () => (await queue.getJobState(entryId)) === 'completed', 'entry completed');
    await pool.release(unit.id);

    expect((await transitions(jobId)).map((x) => x.action)).toEqual(['create', 'requeue', 'accept+start+complete']);
    expect(await rows(`SELECT count(*)::int AS n FROM production.job_transitions WHERE job_id = $1 AND to_state = 'completed'`, [jobId])).toEqual([{ n: 1 }]);
    expect(await rows(`SELECT count(*)::int AS n FROM production.provenance WHERE job_id = $1`, [jobId])).toEqual([{ n: 1 }]);
    expect(
      await rows(`SELECT count(*)::int AS n FROM production.outbox, jsonb_array_elements(payload->'reports') r WHERE queue = $1 AND r->>'sourceJobId' = $2`, [
        QUEUES.buildReports,
        jobId,
      ]),
    ).toEqual([{ n: 1 }]);
    expect(await rows(`SELECT state FROM production.requests WHERE id = $1`, [r.id])).toEqual([{ state: 'fulfilled' }]);
    await sweep().run({ minAgeMs: 0 });
    expect(await requeues(jobId)).toBe(1);
  });

  it('re-queues a job whose entry failed for good; taken over HTTP later, its new entry is removed', async () => {
    const unit = addStubUnit(state, { name: 'Burning lab', operators: [operator.accountId] });
    const queue = openFabQueue(t, unit, queues);
    const r = await direct(unit);
    const jobId = r.jobs[0]!.id;
    await sent(queue, jobId);
    const worker = new Worker(
      QUEUES.fabUnit(unit.id),
      async () => {
        throw new UnrecoverableError('machine on fire');
      },
      bullOptions(t),
    );
    await until(async () => (await queue.getJobState(jobId)) === 'failed', 'entry failed');
    await worker.close();
    await relayDone(jobId);

    await sweep().run({ minAgeMs: 0 });
    const requeue = (await transitions(jobId)).find((x) => x.action === 'requeue');
    expect(requeue?.detail).toEqual({ requeue: 1, entry: fabEntryId(jobId, 1), deadEntry: expect.stringMatching(/^entry .+ failed after 1 of 8 attempts \(machine on fire\)$/) });
    await sent(queue, fabEntryId(jobId, 1));
    expect(await queue.getJobState(fabEntryId(jobId, 1))).toBe('waiting');
    expect(await queue.getJobState(jobId)).toBe('failed'); // kept for inspection

    const next = await t.http.post(`/fab-units/${unit.id}/jobs/next`, undefined, { token: operator.token });
    expect(next.body).toMatchObject({ id: jobId, state: 'accepted' });
    await until(async () => (await queue.getJob(fabEntryId(jobId, 1))) === undefined, 'the re-queued entry discarded');
  });

  it(`fails a job whose entry died again after ${MAX_REQUEUES} re-queues, the reason in its transitions`, async () => {
    const unit = addStubUnit(state, { name: 'Cursed lab' });
    const queue = openFabQueue(t, unit, queues);
    const r = await direct(unit);
    const jobId = r.jobs[0]!.id;
    for (let k = 0; k <= MAX_REQUEUES; k++) {
      const entryId = fabEntryId(jobId, k);
      await sent(queue, entryId);
      expect(await queue.remove(entryId)).toBe(1);
      await relayDone(entryId);
      await sweep().run({ minAgeMs: 0 });
      expect(await requeues(jobId)).toBe(Math.min(k + 1, MAX_REQUEUES));
    }
    const job = (await rows(`SELECT state, reason, accepted_at, finished_at FROM production.jobs WHERE id = $1`, [jobId]))[0]!;
    // Never accepted by anyone: no acceptance time is made up for it.
    expect(job).toMatchObject({ state: 'failed', accepted_at: null, finished_at: expect.any(Date) });
    // The database still wants one from a failed job that had been started.
    await expect(t.sql(`UPDATE production.jobs SET started_at = now() WHERE id = $1`, [jobId])).rejects.toThrow(/jobs_times_follow_state/);
    expect(job.reason).toBe(
      `no worker finished it: entry ${fabEntryId(jobId, MAX_REQUEUES)} is gone from the queue, and it was re-queued ${MAX_REQUEUES} times already (at most ${MAX_REQUEUES})`,
    );
    const all = await transitions(jobId);
    expect(all.map((x) => x.action)).toEqual(['create', ...Array(MAX_REQUEUES).fill('requeue'), 'giveUp']);
    expect(all.at(-1)).toEqual({
      action: 'giveUp',
      from_state: 'queued',
      to_state: 'failed',
      actor_kind: 'system',
      detail: { reason: job.reason, requeues: MAX_REQUEUES, deadEntry: `entry ${fabEntryId(jobId, MAX_REQUEUES)} is gone from the queue` },
    });
    // Like any failed job: its reservation is released and its request fails.
    expect(await rows(`SELECT queue, payload->>'outcome' AS outcome FROM production.outbox WHERE payload->'keys' @> to_jsonb(ARRAY[$1::text])`, [jobId])).toEqual([
      { queue: QUEUES.reservations, outcome: 'release' },
    ]);
    const request = (await rows<{ state: string; reason: string }>(`SELECT state, reason FROM production.requests WHERE id = $1`, [r.id]))[0]!;
    expect(request.state).toBe('failed');
    expect(request.reason).toContain(job.reason);
    // Nothing more happens to it.
    await sweep().run({ minAgeMs: 0 });
    expect((await transitions(jobId)).length).toBe(all.length);
    expect(await rows(`SELECT job_id FROM production.outbox WHERE job_id = $1`, [fabEntryId(jobId, MAX_REQUEUES + 1)])).toEqual([]);
  });

  it('leaves a job a person took over HTTP (its entry was withdrawn on purpose)', async () => {
    const unit = addStubUnit(state, { name: 'Hands-on lab', operators: [operator.accountId] });
    const queue = openFabQueue(t, unit, queues);
    const r = await direct(unit);
    const jobId = r.jobs[0]!.id;
    await sent(queue, jobId);
    const next = await t.http.post(`/fab-units/${unit.id}/jobs/next`, undefined, { token: operator.token });
    expect(next.body).toMatchObject({ id: jobId, state: 'accepted' });
    await until(async () => (await queue.getJob(jobId)) === undefined, 'entry discarded');
    await relayDone(jobId);
    const report = await sweep().run({ minAgeMs: 0 });
    expect(report?.requeued ?? []).not.toContain(jobId);
    expect(await requeues(jobId)).toBe(0);
    expect((await rows(`SELECT state FROM production.jobs WHERE id = $1`, [jobId]))[0]).toEqual({ state: 'accepted' });
  });
  it('jobs queued together travel in one fan-out row: its entries are the relay\'s, not the sweep\'s; one taken over HTTP leaves the row unsent', async () => {
    const unit = addStubUnit(state, { name: 'Two-step lab', operators: [operator.accountId] });
    const queue = openFabQueue(t, unit, queues);
    const twoSteps = addStubDesign(state, [DEFAULT_STEP, DEFAULT_STEP], 'Two-part handle');
    const relay = backend().get(OutboxRelay);
    await relay.stop(); // the row stays unsent meanwhile
    let taken: string;
    let left: string;
    try {
      const r = await requestDirect(t, requester.token, unit, { designVersionId: twoSteps.designVersionId });
      const ids = r.jobs.map((j: { id: string }) => j.id);
      expect(ids).toHaveLength(2);
      const fan = await rows(`SELECT job_id, entries, sent_at FROM production.outbox WHERE queue = $1`, [QUEUES.fabUnit(unit.id)]);
      expect(fan).toEqual([{ job_id: expect.stringMatching(/^jobs-/), entries: ids.map((id: string) => ({ jobId: id, payload: { jobId: id } })), sent_at: null }]);
      // Not sent yet: the relay's to deliver. The sweep, which finds no row named after either job, leaves them.
      const report = await sweep().run({ minAgeMs: 0 });
      for (const id of ids) {
        expect(report?.requeued ?? []).not.toContain(id);
        expect(await requeues(id)).toBe(0);
      }
      // A person takes one: its entry leaves the row before it is ever sent.
      const next = await t.http.post(`/fab-units/${unit.id}/jobs/next`, undefined, { token: operator.token });
      expect(next.body).toMatchObject({ state: 'accepted' });
      taken = next.body.id;
      left = ids.find((id: string) => id !== taken)!;
      expect((await rows(`SELECT entries FROM production.outbox WHERE queue = $1`, [QUEUES.fabUnit(unit.id)]))[0]!.entries).toEqual([
        { jobId: left, payload: { jobId: left } },
      ]);
    } finally {
      await relay.start();
    }
    await until(async () => (await queue.getJob(left)) !== undefined, 'the other job sent');
    expect(await queue.getJob(taken)).toBeUndefined();
    expect((await rows(`SELECT sends FROM production.outbox WHERE queue = $1`, [QUEUES.fabUnit(unit.id)]))).toEqual([{ sends: 1 }]);
  });
});
