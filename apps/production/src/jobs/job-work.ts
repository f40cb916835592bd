import type { DataSource, EntityManager } from 'typeorm';
import { forbidden, notFound, QUEUES } from '#libs/contracts/src/index.js';
import type { Actor } from '#libs/contracts/src/index.js';
import { pgCode, PG_DEADLOCK_DETECTED, PG_SERIALIZATION_FAILURE } from '#libs/database/src/index.js';
import type { OutboxWriter } from '#libs/outbox/src/index.js';
import { RequestsRepository, type TransitionedRequest } from '../requests/typeorm-requests.repository.js';
import { type ActorColumns, actorColumns, SYSTEM_ACTOR } from '../shared/actor-columns.js';
import { EventBuffer, type EventPublisher } from '../shared/events.js';
import { fabQueueMessage } from '../shared/outbox-messages.js';
import { type AdvanceTarget, PATH_ORDER, stepsToward } from './connector-path.js';
import { illegalJobTransition, type JobAction, type SYSTEM_JOB_ACTIONS } from './job-state.js';
import { fabEntryId, type OwedJob } from './requeue.js';
import { JobsRepository, type TransitionedJob } from './typeorm-jobs.repository.js';

export type { AdvanceTarget } from './connector-path.js';
type SystemJobAction = (typeof SYSTEM_JOB_ACTIONS)[number];
/** advanced: this call moved it; already: it was there (a re-delivery); moot: it ended otherwise (cancelled…). */
export type AdvanceOutcome = 'advanced' | 'already' | 'moot' | 'missing';

/**
 * The heart of production's writes: job transitions and everything that must happen with them
 * in the same transaction (request state, provenance, outbox messages to commons and
 * fabrication, the transition records), then events after the commit.
 *
 * Lock order, everywhere: the requests of the jobs (id order), then the jobs (id order).
 */
export class JobWork {
  readonly jobs = new JobsRepository();
  readonly requests = new RequestsRepository();

  constructor(
    readonly dataSource: DataSource,
    readonly outbox: OutboxWriter,
    private readonly events: EventPublisher,
    /** Removes queue entries made moot (the relay's `discard`); none in a bare worker process. */
    private readonly discard: (entries: { queue: string; jobId: string }[]) => Promise<void> = async () => undefined,
  ) {}

  /**
   * A transaction whose events are published after it commits; retried on deadlock or
   * serialization failure. What it owes commons and fabrication for the jobs it ended
   * (`events.ended`) is written at its end, one outbox message per queue and outcome.
   */
  async tx<T>(work: (m: EntityManager, events: EventBuffer) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const events = new EventBuffer();
      try {
        const result = await this.dataSource.transaction(async (m) => {
          const done = await work(m, events);
          await this.outbox.write(m, events.ended.take());
          return done;
        });
        this.events.publish(events);
        if (events.leftQueue.length) {
          void this.discard(events.leftQueue.map((e) => ({ queue: QUEUES.fabUnit(e.fabUnitId), jobId: e.jobId }))).catch(() => undefined);
        }
        return result;
      } catch (error) {
        const code = pgCode(error);
        if (attempt < 5 && (code === PG_DEADLOCK_DETECTED || code === PG_SERIALIZATION_FAILURE)) continue;
        throw error;
      }
    }
  }

  /** One HTTP action on one job by a person or machine: accept, start, progress, complete, fail. */
  async act(
    jobId: string,
    action: Exclude<JobAction, 'decline' | 'cancel' | SystemJobAction>,
    actor: Actor | null,
    input: { percent?: number; note?: string; notes?: string; reason?: string } = {},
  ): Promise<void> {
    await this.tx(async (m, events) => {
      const job = await this.jobs.find(m, jobId);
      if (!job) throw notFound('job', jobId);
      if (actor?.kind === 'machine' && actor.fabUnitId !== job.fab_unit_id) {
        throw forbidden(`This API key belongs to fab unit ${actor.fabUnitId}, not to the unit of job ${jobId}`);
      }
      await this.requests.lock(m, [job.request_id]);
      const who = actorColumns(actor);
      const detail =
        action === 'progress'
          ? { percent: input.percent, ...(input.note ? { note: input.note } : {}) }
          : action === 'complete' && input.notes
            ? { notes: input.notes }
            : action === 'fail'
              ? { reason: input.reason }
              : null;
      const rows = await this.jobs.transition(m, [jobId], action, who, {
        ...(action === 'progress' ? { progress: input.percent } : {}),
        ...(action === 'fail' ? { reason: input.reason ?? 'failed' } : {}),
        detail,
      });
      if (rows.length === 0) {
        const current = await this.jobs.find(m, jobId);
        throw illegalJobTransition(jobId, current?.state ?? job.state, action);
      }
      await this.after(m, events, rows, action, who, { notes: input.notes, reason: input.reason });
    });
  }

  /**
   * The automated connector's step, for many jobs in one transaction: accept and start (and
   * complete) whatever of them is not there yet. Idempotent: a job already at or past the
   * target is left alone, a cancelled one too.
   */
  async advanceMany(ids: readonly string[], target: AdvanceTarget, actor: ActorColumns): Promise<Map<string, AdvanceOutcome>> {
    const sorted = [...new Set(ids)].sort();
    return this.tx(async (m, events) => {
      await this.requests.lockOfJobs(m, sorted);
      const rows = await this.jobs.advance(m, sorted, target, actor);
      for (const r of rows) {
        for (const [action, from, to] of stepsToward(r.from_state, target)) {
          events.job({ jobId: r.id, requestId: r.request_id, fabUnitId: r.fab_unit_id, from, to, action });
        }
      }
      if (target === 'completed') await this.recordCompletions(m, events, rows.map((r) => r.id), {});
      const requests = await this.requests.advanceAfterJobs(m, [...new Set(rows.map((r) => r.request_id))], actor);
      for (const r of requests) {
        if (r.from_state === 'funded') events.request({ requestId: r.id, from: 'funded', to: 'in_production', action: 'startProduction' });
        if (r.to_state === 'fulfilled') events.request({ requestId: r.id, from: 'in_production', to: 'fulfilled', action: 'fulfil' });
      }
      const outcome = new Map<string, AdvanceOutcome>();
      for (const r of rows) outcome.set(r.id, 'advanced');
      const rest = sorted.filter((id) => !outcome.has(id));
      const states = await this.jobs.states(m, rest);
      for (const id of rest) {
        const state = states.get(id);
        if (!state) outcome.set(id, 'missing');
        else if (PATH_ORDER[state] === 9 || PATH_ORDER[state] < PATH_ORDER[target]) outcome.set(id, 'moot');
        else outcome.set(id, 'already');
      }
      return outcome;
    });
  }

  /**
   * The re-queue sweep's step: a new queue entry for a job whose entry died, written through the
   * outbox with a `requeue` transition. Only if the job still stands as the sweep saw it (same
   * state, same number of re-queues): a job that moved meanwhile, or a second sweep making the
   * same decision, changes nothing. Returns whether it re-queued.
   */
  async requeue(job: OwedJob, next: { requeue: number; entryId: string }, detail: Record<string, unknown>): Promise<boolean> {
    return this.tx(async (m, events) => {
      const now = await this.jobs.lockForRequeue(m, job.jobId);
      if (!now || now.state !== job.state || now.requeues !== job.requeues) return false;
      const rows = await this.jobs.transition(m, [job.jobId], 'requeue', SYSTEM_ACTOR, { detail: { requeue: next.requeue, entry: next.entryId, ...detail } });
      for (const r of rows) events.job({ jobId: r.id, requestId: r.request_id, fabUnitId: r.fab_unit_id, from: r.from_state, to: r.to_state, action: 'requeue' });
      await this.outbox.write(m, [{ ...fabQueueMessage(job.jobId, job.fabUnitId), jobId: next.entryId }]);
      return rows.length > 0;
    });
  }

  /**
   * The re-queue sweep's last word on a job that ran out of re-queues: failed, like a `fail`
   * (reservation released, request failed, its other jobs cancelled), the reason in the
   * transition. Only if the job still stands as the sweep saw it. Returns whether it failed it.
   */
  async giveUp(job: OwedJob, reason: string, detail: Record<string, unknown>): Promise<boolean> {
    return this.tx(async (m, events) => {
      await this.requests.lockOfJobs(m, [job.jobId]);
      const now = await this.jobs.lockForRequeue(m, job.jobId);
      if (!now || now.state !== job.state || now.requeues !== job.requeues) return false;
      const rows = await this.jobs.transition(m, [job.jobId], 'giveUp', SYSTEM_ACTOR, { reason, detail: { reason, requeues: job.requeues, ...detail } });
      await this.after(m, events, rows, 'giveUp', SYSTEM_ACTOR, { reason });
      return rows.length > 0;
    });
  }

  /** Cancels the live jobs of requests (their reservations are released through the outbox). */
  async cancelJobsOf(m: EntityManager, events: EventBuffer, requestIds: readonly string[], actor: ActorColumns, reason: string, except: readonly string[] = []): Promise<void> {
    const live = await this.jobs.liveOfRequests(m, requestIds, except);
    const rows = await this.jobs.transition(m, live, 'cancel', actor, { reason });
    await this.after(m, events, rows, 'cancel', actor, { reason });
  }

  /** What follows job transitions, in the same transaction. */
  async after(
    m: EntityManager,
    events: EventBuffer,
    rows: readonly TransitionedJob[],
    action: JobAction,
    actor: ActorColumns,
    input: { notes?: string; reason?: string },
  ): Promise<void> {
    if (rows.length === 0) return;
    for (const r of rows) {
      events.job({ jobId: r.id, requestId: r.request_id, fabUnitId: r.fab_unit_id, from: r.from_state, to: r.to_state, action });
    }
    // Taken outside the unit's queue worker: the queue entry is moot (not sent yet: never send it).
    // The entry is the job's latest: a re-queued job's is named after its re-queue.
    const leaving = rows.filter((r) => r.from_state === 'queued');
    const requeues = await this.jobs.requeueCounts(m, leaving.map((r) => r.id));
    const moot = leaving.map((r) => ({ queue: QUEUES.fabUnit(r.fab_unit_id), jobId: fabEntryId(r.id, requeues.get(r.id) ?? 0), fabUnitId: r.fab_unit_id }));
    for (const e of moot) events.leftQueue.push({ jobId: e.jobId, fabUnitId: e.fabUnitId });
    await this.outbox.withdraw(m, moot);
    await this.afterEffects(m, events, rows, action, actor, input);
  }

  /** The consequences of job transitions beyond the jobs themselves: requests, provenance, outbox. */
  private async afterEffects(
    m: EntityManager,
    events: EventBuffer,
    rows: readonly TransitionedJob[],
    action: JobAction,
    actor: ActorColumns,
    input: { notes?: string; reason?: string },
  ): Promise<void> {
    if (rows.length === 0) return;
    const requestIds = unique(rows.map((r) => r.request_id));

    if (action === 'accept') {
      this.requestEvents(events, await this.requests.transition(m, requestIds, 'startProduction', actor), 'startProduction');
    }

    if (action === 'complete') {
      await this.recordCompletions(m, events, rows.map((r) => r.id), input);
      const done = await this.requests.allJobsCompleted(m, requestIds);
      this.requestEvents(events, await this.requests.transition(m, done, 'fulfil', actor), 'fulfil');
    }

    if (action === 'fail' || action === 'giveUp' || action === 'cancel' || action === 'decline') {
      events.ended.outcome(rows.map((r) => r.id), 'release');
    }

    if (action === 'fail' || action === 'giveUp') {
      const reason = `job ${rows.map((r) => r.id).join(', ')} failed${input.reason ? `: ${input.reason}` : ''}`;
      this.requestEvents(events, await this.requests.transition(m, requestIds, 'fail', actor, { reason }), 'fail');
      await this.cancelJobsOf(m, events, requestIds, actor, 'another job of the request failed', rows.map((r) => r.id));
    }
  }

  /** Completed jobs leave a provenance record, a build report for commons and the consumption of their reservation (once). */
  private async recordCompletions(m: EntityManager, events: EventBuffer, jobIds: readonly string[], input: { notes?: string }): Promise<void> {
    const records = await this.jobs.recordProvenance(m, jobIds);
    for (const p of records) {
      events.ended.report({
        sourceJobId: p.job_id,
        designVersionId: p.design_version_id,
        fabUnitId: p.fab_unit_id,
        success: true,
        quantity: p.quantity,
        ...(input.notes ? { notes: input.notes } : {}),
        reportedAt: new Date(p.completed_at).toISOString(),
      });
    }
    events.ended.outcome(records.map((p) => p.job_id), 'consume');
  }

  requestEvents(events: EventBuffer, rows: readonly TransitionedRequest[], action: string): void {
    for (const r of rows) events.request({ requestId: r.id, from: r.from_state, to: r.to_state, action });
  }
}

const unique = <T>(xs: readonly T[]) => [...new Set(xs)];
