import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropOutboxTableSql, outboxTableSql } from '#libs/outbox/src/index.js';

const REQUEST_STATES = `'draft','submitted','in_allocation','funded','unfunded','in_production','fulfilled','failed','cancelled'`;
const JOB_STATES = `'queued','accepted','in_progress','completed','failed','cancelled','declined'`;

export class Production1766000000000 implements MigrationInterface {
  name = 'Production1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE production.requests (
        id uuid PRIMARY KEY,
        requester_id uuid NOT NULL,
        idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        body_hash text NOT NULL CHECK (length(body_hash) = 64),
        design_version_id uuid NOT NULL,
        title text NOT NULL DEFAULT '',
        design jsonb,
        quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 100000),
        lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
        lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
        need_by timestamptz NOT NULL,
        purpose text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 2000),
        mode text NOT NULL CHECK (mode IN ('pooled', 'direct')),
        fab_unit_id uuid,
        state text NOT NULL CHECK (state IN (${REQUEST_STATES})),
        reason text,
        round_id uuid,
        plan jsonb,
        cost_vector jsonb,
        alternatives jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT requests_direct_names_unit CHECK ((mode = 'direct') = (fab_unit_id IS NOT NULL)),
        CONSTRAINT requests_planned_after_draft CHECK (state = 'draft' OR (plan IS NOT NULL AND cost_vector IS NOT NULL AND design IS NOT NULL)),
        CONSTRAINT requests_idempotency_key UNIQUE (requester_id, idempotency_key)
      ) WITH (fillfactor = 80)`);
    // No index on state: a request changes state three to five times, and with no index on the
    // columns it changes, each change is a HOT update (room left on the page by the fillfactor).

    await q.query(`
      CREATE TABLE production.request_transitions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES production.requests(id) ON DELETE CASCADE,
        from_state text CHECK (from_state IN (${REQUEST_STATES})),
        to_state text NOT NULL CHECK (to_state IN (${REQUEST_STATES})),
        action text NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('person', 'machine', 'system')),
        actor_account_id uuid,
        actor_api_key_id uuid,
        detail jsonb,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX request_transitions_request_idx ON production.request_transitions (request_id, id)`);

    await q.query(`
      CREATE TABLE production.jobs (
        id uuid PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES production.requests(id),
        step_index integer NOT NULL CHECK (step_index >= 0),
        attempt integer NOT NULL DEFAULT 0 CHECK (attempt >= 0),
        fab_unit_id uuid NOT NULL,
        machine_id text,
        process text NOT NULL,
        material text NOT NULL,
        minutes integer NOT NULL CHECK (minutes >= 0),
        material_quantity numeric NOT NULL CHECK (material_quantity >= 0),
        material_unit text NOT NULL,
        reservation jsonb,
        state text NOT NULL CHECK (state IN (${JOB_STATES})),
        progress integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        reason text,
        rerouted_from uuid REFERENCES production.jobs(id),
        queued_at timestamptz NOT NULL DEFAULT now(),
        accepted_at timestamptz,
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT jobs_step_attempt_key UNIQUE (request_id, step_index, attempt),
        CONSTRAINT jobs_times_follow_state CHECK (
          (state NOT IN ('accepted', 'in_progress', 'completed', 'failed') OR accepted_at IS NOT NULL)
          AND (state NOT IN ('in_progress', 'completed') OR started_at IS NOT NULL)
          AND (state NOT IN ('completed', 'failed', 'cancelled', 'declined') OR finished_at IS NOT NULL)
        )
      )`);
    // A step is worked by one job at a time: a declined job's successor replaces it, never joins it.
    await q.query(`CREATE UNIQUE INDEX jobs_one_per_step ON production.jobs (request_id, step_index) WHERE state <> 'declined'`);
    await q.query(`CREATE INDEX jobs_unit_state_idx ON production.jobs (fab_unit_id, state, queued_at, id)`);
    await q.query(`CREATE INDEX jobs_request_idx ON production.jobs (request_id)`);

    await q.query(`
      CREATE TABLE production.job_transitions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES production.jobs(id),
        from_state text CHECK (from_state IN (${JOB_STATES})),
        to_state text NOT NULL CHECK (to_state IN (${JOB_STATES})),
        action text NOT NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('person', 'machine', 'system')),
        actor_account_id uuid,
        actor_api_key_id uuid,
        detail jsonb,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX job_transitions_job_idx ON production.job_transitions (job_id, id)`);
    // A job completes once, whatever retries, stalls or re-sends: the database says so.
    await q.query(`CREATE UNIQUE INDEX job_transitions_one_completion ON production.job_transitions (job_id) WHERE to_state = 'completed'`);

    await q.query(`
      CREATE TABLE production.provenance (
        job_id uuid PRIMARY KEY REFERENCES production.jobs(id),
        request_id uuid NOT NULL REFERENCES production.requests(id),
        design_version_id uuid NOT NULL,
        design jsonb NOT NULL,
        fab_unit_id uuid NOT NULL,
        machine_id text,
        process text NOT NULL,
        quantity integer NOT NULL,
        materials jsonb NOT NULL,
        accepted_at timestamptz,
        started_at timestamptz,
        completed_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Idempotency of the council's decisions: one row per (round, request), written with the effect.
    await q.query(`
      CREATE TABLE production.allocation_decisions (
        round_id uuid NOT NULL,
        request_id uuid NOT NULL REFERENCES production.requests(id),
        funded boolean NOT NULL,
        reason text NOT NULL,
        outcome text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (round_id, request_id)
      )`);

    // Units whose queue an automated connector works in the production process (see connectors/).
    await q.query(`
      CREATE TABLE production.automated_units (
        fab_unit_id uuid PRIMARY KEY,
        concurrency integer NOT NULL DEFAULT 20 CHECK (concurrency BETWEEN 1 AND 1000),
        work_ms integer NOT NULL DEFAULT 0 CHECK (work_ms >= 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    for (const sql of outboxTableSql('production')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(dropOutboxTableSql('production'));
    for (const t of ['automated_units', 'allocation_decisions', 'provenance', 'job_transitions', 'jobs', 'request_transitions', 'requests']) {
      await q.query(`DROP TABLE production.${t}`);
    }
  }
}
