import type { EntityManager } from 'typeorm';
import type { PlacedReservation } from '#libs/contracts/src/fabrication/messages.js';
import type { JobState } from '#libs/contracts/src/production/states.js';
import type { ActorColumns } from '../shared/actor-columns.js';
import { uuidList } from '../shared/ids.js';
import { type AdvanceTarget, combinedActionsToward } from './connector-path.js';
import { JOB_TRANSITIONS, type JobAction } from './job-state.js';
import { fabEntryIdSql, type OwedJob } from './requeue.js';

/** A job row as the SQL here returns it (snake_case, as PostgreSQL gives it). */
export interface JobRow {
  id: string;
  request_id: string;
  step_index: number;
  attempt: number;
  fab_unit_id: string;
  machine_id: string | null;
  process: string;
  material: string;
  minutes: number;
  material_quantity: string;
  material_unit: string;
  reservation: PlacedReservation | null;
  state: JobState;
  progress: number;
  reason: string | null;
  rerouted_from: string | null;
  queued_at: Date;
  accepted_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
}

export interface TransitionedJob {
  id: string;
  request_id: string;
  fab_unit_id: string;
  from_state: JobState;
  to_state: JobState;
}

export interface NewJob {
  id: string;
  requestId: string;
  stepIndex: number;
  attempt: number;
  fabUnitId: string;
  machineId: string | null;
  process: string;
  material: string;
  minutes: number;
  materialQuantity: number;
  materialUnit: string;
  reservation: PlacedReservation | null;
  reroutedFrom: string | null;
}

export interface CompletedProvenance {
  job_id: string;
  request_id: string;
  design_version_id: string;
  fab_unit_id: string;
  quantity: number;
  completed_at: Date;
}

const STAMP: Partial<Record<JobState, string>> = {
  accepted: 'accepted_at = now()',
  in_progress: 'started_at = now()',
  completed: 'finished_at = now()',
  failed: 'finished_at = now()',
  cancelled: 'finished_at = now()',
  declined: 'finished_at = now()',
};

/**
 * The SQL of jobs. Every function works on many ids at once (the automated connector batches;
 * HTTP routes pass one) and inside the caller's transaction. A transition is one statement:
 * lock the rows still in an allowed state (in id order: no deadlocks between batches), update
 * them, record who and when; rows in any other state are left alone and not returned.
 */
export class JobsRepository {
  async insertJobs(m: EntityManager, jobs: readonly NewJob[], actor: ActorColumns, detail: Record<string, unknown> | null): Promise<string[]> {
    if (jobs.length === 0) return [];
    const rows: { id: string }[] = await m.query(
      `WITH ins AS (
         INSERT INTO production.jobs (id, request_id, step_index, attempt, fab_unit_id, machine_id, process, material, minutes,
                                      material_quantity, material_unit, reservation, state, rerouted_from)
         SELECT id, request_id, step_index, attempt, fab_unit_id, machine_id, process, material, minutes,
                material_quantity, material_unit, reservation, 'queued', rerouted_from
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, request_id uuid, step_index int, attempt int, fab_unit_id uuid,
              machine_id text, process text, material text, minutes int, material_quantity numeric, material_unit text,
              reservation jsonb, rerouted_from uuid)
         ON CONFLICT DO NOTHING
         RETURNING id
       ), t AS (
         INSERT INTO production.job_transitions (job_id, from_state, to_state, action, actor_kind, actor_account_id, actor_api_key_id, detail)
         SELECT id, NULL, 'queued', 'create', $2, $3, $4, $5::jsonb FROM ins
       )
       SELECT id FROM ins`,
      [
        JSON.stringify(
          jobs.map((j) => ({
            id: j.id,
            request_id: j.requestId,
            step_index: j.stepIndex,
            attempt: j.attempt,
            fab_unit_id: j.fabUnitId,
            machine_id: j.machineId,
            process: j.process,
            material: j.material,
            minutes: j.minutes,
            material_quantity: j.materialQuantity,
            material_unit: j.materialUnit,
            reservation: j.reservation,
            rerouted_from: j.reroutedFrom,
          })),
        ),
        actor.kind,
        actor.accountId,
        actor.apiKeyId,
        detail ? JSON.stringify(detail) : null,
      ],
    );
    return rows.map((r) => r.id);
  }

  /** Applies `action` to the given jobs that are in a state it is allowed from; returns those. */
  async transition(
    m: EntityManager,
    ids: readonly string[],
    action: JobAction,
    actor: ActorColumns,
    extra: { reason?: string | null; progress?: number; detail?: Record<string, unknown> | null } = {},
  ): Promise<TransitionedJob[]> {
    if (ids.length === 0) return [];
    const { from, to } = JOB_TRANSITIONS[action];
    const sets = [
      'updated_at = now()',
      'state = coalesce($3::text, j.state)',
      'reason = CASE WHEN $10::boolean THEN $8::text ELSE j.reason END',
      'progress = coalesce($11::int, j.progress)',
    ];
    if (to !== 'same' && STAMP[to]) sets.push(STAMP[to]!);
    const progress = extra.progress ?? (to === 'completed' ? 100 : null);
    return m.query(
      `WITH o AS (
         SELECT id, state FROM production.jobs WHERE id = ANY($1::uuid[]) AND state = ANY($2::text[]) ORDER BY id FOR UPDATE
       ), u AS (
         UPDATE production.jobs j SET ${sets.join(', ')} FROM o WHERE j.id = o.id
         RETURNING j.id, j.request_id, j.fab_unit_id, o.state AS from_state, j.state AS to_state
       ), t AS (
         INSERT INTO production.job_transitions (job_id, from_state, to_state, action, actor_kind, actor_account_id, actor_api_key_id, detail)
         SELECT id, from_state, to_state, $4, $5, $6, $7, $9::jsonb FROM u
       )
       SELECT * FROM u ORDER BY id`,
      [
        ids,
        from,
        to === 'same' ? null : to,
        action,
        actor.kind,
        actor.accountId,
        actor.apiKeyId,
        extra.reason ?? null,
        extra.detail ? JSON.stringify(extra.detail) : null,
        extra.reason !== undefined,
        progress,
      ],
    );
  }

  /**
   * The connector's path in one statement: every given job still on the way (queued,
   * accepted, or in progress when the target is completed) goes straight to `target`, with one
   * transition record naming the steps passed (`accept+start+complete`: see combined-steps.ts).
   * Jobs already there, or ended otherwise, are left alone and not returned.
   */
  async advance(m: EntityManager, ids: readonly string[], target: AdvanceTarget, actor: ActorColumns): Promise<TransitionedJob[]> {
    if (ids.length === 0) return [];
    const actions = combinedActionsToward(target);
    return m.query(
      `WITH o AS (
         SELECT id, state FROM production.jobs WHERE id = ANY($1::uuid[]) AND state = ANY($2::text[]) ORDER BY id FOR UPDATE
       ), u AS (
         UPDATE production.jobs j SET
           state = $3,
           accepted_at = coalesce(j.accepted_at, now()),
           started_at = coalesce(j.started_at, now()),
           finished_at = CASE WHEN $3 = 'completed' THEN now() ELSE j.finished_at END,
           progress = CASE WHEN $3 = 'completed' THEN 100 ELSE j.progress END,
           updated_at = now()
         FROM o WHERE j.id = o.id
         RETURNING j.id, j.request_id, j.fab_unit_id, o.state AS from_state, j.state AS to_state
       ), t AS (
         INSERT INTO production.job_transitions (job_id, from_state, to_state, action, actor_kind, actor_account_id, actor_api_key_id)
         SELECT u.id, u.from_state, u.to_state, $7::jsonb ->> u.from_state, $4, $5, $6 FROM u ORDER BY u.id
       )
       SELECT * FROM u ORDER BY id`,
      [uuidList(ids), `{${Object.keys(actions).join(',')}}`, target, actor.kind, actor.accountId, actor.apiKeyId, JSON.stringify(actions)],
    );
  }

  /** How many times the re-queue sweep gave each job a new queue entry (jobs never re-queued: absent). */
  async requeueCounts(m: EntityManager, ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows: { job_id: string; n: number }[] = await m.query(
      `SELECT job_id, count(*)::int AS n FROM production.job_transitions WHERE job_id = ANY($1::uuid[]) AND action = 'requeue' GROUP BY job_id`,
      [ids],
    );
    return new Map(rows.map((r) => [r.job_id, r.n]));
  }

  /**
   * The re-queue sweep's candidates, in id order after `after`: live jobs unchanged for
   * `minAgeMs` that should be on their unit's queue (queued, or moved there by the system), and
   * whose current entry the outbox has finished with (the relay saw it finish or vanish) or
   * never had, in a row of its own or in a fan-out row. An entry still unsent, or sent and not
   * known done, is the relay's to deliver or to rebuild after a Redis loss: those rows are not
   * read here, nor is anything of Redis.
   */
  async owingQueueEntries(
    m: EntityManager,
    options: { minAgeMs: number; limit: number; after: string | null; queuePrefix: string },
  ): Promise<(OwedJob & { entryId: string })[]> {
    const rows: { id: string; fab_unit_id: string; state: JobState; last_actor_kind: OwedJob['lastActorKind']; requeues: number; entry_id: string }[] =
      await m.query(
        `WITH live AS (
           SELECT j.id, j.fab_unit_id, j.state,
                  (SELECT count(*)::int FROM production.job_transitions t WHERE t.job_id = j.id AND t.action = 'requeue') AS requeues,
                  (SELECT t.actor_kind FROM production.job_transitions t WHERE t.job_id = j.id AND t.action <> 'requeue'
                   ORDER BY t.id DESC LIMIT 1) AS last_actor_kind
           FROM production.jobs j
           WHERE j.state IN ('queued', 'accepted', 'in_progress')
             AND j.updated_at < now() - make_interval(secs => $1::float8 / 1000)
             AND ($3::uuid IS NULL OR j.id > $3::uuid)
         ), owed AS (
           SELECT live.*, ${fabEntryIdSql('live.id::text', 'live.requeues')} AS entry_id FROM live
           WHERE live.state = 'queued' OR live.last_actor_kind = 'system'
         )
         SELECT owed.* FROM owed
         LEFT JOIN production.outbox o ON o.queue = $4 || owed.fab_unit_id::text AND o.job_id = owed.entry_id
         WHERE (o.id IS NULL OR o.done_at IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM production.outbox f
                           WHERE f.entries IS NOT NULL AND f.done_at IS NULL AND f.queue = $4 || owed.fab_unit_id::text
                             AND f.entries @> jsonb_build_array(jsonb_build_object('jobId', owed.entry_id)))
         ORDER BY owed.id LIMIT $2`,
        [options.minAgeMs, options.limit, options.after, options.queuePrefix],
      );
    return rows.map((r) => ({
      jobId: r.id,
      fabUnitId: r.fab_unit_id,
      state: r.state,
      lastActorKind: r.last_actor_kind,
      requeues: r.requeues,
      entryId: r.entry_id,
    }));
  }

  /** Locks one job for the sweep and says where it stands now (state, re-queues so far). */
  async lockForRequeue(m: EntityManager, id: string): Promise<{ state: JobState; requeues: number } | null> {
    const rows: { state: JobState; requeues: number }[] = await m.query(
      `SELECT j.state, (SELECT count(*)::int FROM production.job_transitions t WHERE t.job_id = j.id AND t.action = 'requeue') AS requeues
       FROM production.jobs j WHERE j.id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  async states(m: EntityManager, ids: readonly string[]): Promise<Map<string, JobState>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; state: JobState }[] = await m.query(`SELECT id, state FROM production.jobs WHERE id = ANY($1::uuid[])`, [uuidList(ids)]);
    return new Map(rows.map((r) => [r.id, r.state]));
  }

  async find(m: EntityManager, id: string, lock = false): Promise<JobRow | null> {
    const rows: JobRow[] = await m.query(`SELECT * FROM production.jobs WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ?? null;
  }

  async ofRequest(m: EntityManager, requestId: string): Promise<JobRow[]> {
    return m.query(`SELECT * FROM production.jobs WHERE request_id = $1 ORDER BY step_index, attempt`, [requestId]);
  }

  async liveOfRequests(m: EntityManager, requestIds: readonly string[], except: readonly string[] = []): Promise<string[]> {
    if (requestIds.length === 0) return [];
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM production.jobs WHERE request_id = ANY($1::uuid[]) AND state IN ('queued', 'accepted', 'in_progress')
       AND NOT (id = ANY($2::uuid[])) ORDER BY id`,
      [requestIds, except],
    );
    return rows.map((r) => r.id);
  }

  async ofUnit(m: EntityManager, fabUnitId: string, state: JobState | undefined, limit = 500): Promise<JobRow[]> {
    return m.query(
      `SELECT * FROM production.jobs WHERE fab_unit_id = $1 AND ($2::text IS NULL OR state = $2) ORDER BY queued_at, id LIMIT $3`,
      [fabUnitId, state ?? null, limit],
    );
  }

  /** The oldest queued job of the unit that nobody else is taking right now (SKIP LOCKED), locked. */
  async lockNextQueued(m: EntityManager, fabUnitId: string): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM production.jobs WHERE fab_unit_id = $1 AND state = 'queued' ORDER BY queued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [fabUnitId],
    );
    return rows[0]?.id ?? null;
  }

  async transitionsOf(m: EntityManager, jobId: string): Promise<Record<string, unknown>[]> {
    return m.query(`SELECT * FROM production.job_transitions WHERE job_id = $1 ORDER BY id`, [jobId]);
  }

  /**
   * Writes the provenance of jobs this transaction completed; returns the records. Callers pass
   * only the jobs their transition just moved to `completed`, which happens once per job
   * (`job_transitions_one_completion`), so a plain insert: the job id is still the key, and a
   * second record would fail loudly rather than be skipped (ON CONFLICT's speculative
   * insertion is an extra WAL record and index probe on every job).
   */
  async recordProvenance(m: EntityManager, jobIds: readonly string[]): Promise<CompletedProvenance[]> {
    if (jobIds.length === 0) return [];
    return m.query(
      `INSERT INTO production.provenance (job_id, request_id, design_version_id, design, fab_unit_id, machine_id, process,
                                          quantity, materials, accepted_at, started_at, completed_at)
       SELECT j.id, j.request_id, r.design_version_id, coalesce(r.design, '{}'::jsonb) - 'requirements', j.fab_unit_id, j.machine_id,
              j.process, r.quantity,
              jsonb_build_array(jsonb_build_object('material', j.material, 'quantity', j.material_quantity, 'unit', j.material_unit)),
              j.accepted_at, j.started_at, j.finished_at
       FROM production.jobs j JOIN production.requests r ON r.id = j.request_id
       WHERE j.id = ANY($1::uuid[]) AND j.state = 'completed'
       RETURNING job_id, request_id, design_version_id, fab_unit_id, quantity, completed_at`,
      [uuidList(jobIds)],
    );
  }

  async provenance(m: EntityManager, jobId: string): Promise<Record<string, any> | null> {
    const rows = await m.query(`SELECT * FROM production.provenance WHERE job_id = $1`, [jobId]);
    return rows[0] ?? null;
  }

  /** The units tried for a step so far (a reroute goes elsewhere). */
  async unitsTriedForStep(m: EntityManager, requestId: string, stepIndex: number): Promise<Set<string>> {
    const rows: { fab_unit_id: string }[] = await m.query(
      `SELECT DISTINCT fab_unit_id FROM production.jobs WHERE request_id = $1 AND step_index = $2`,
      [requestId, stepIndex],
    );
    return new Set(rows.map((r) => r.fab_unit_id));
  }
}
