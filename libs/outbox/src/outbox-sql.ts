import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The DDL of `<schema>.outbox`, for the owning app's migration:
 *
 *   async up(q: QueryRunner) { for (const s of outboxTableSql('commons')) await q.query(s); }
 *   async down(q: QueryRunner) { await q.query(dropOutboxTableSql('commons')); }
 *
 * Constraints:
 * - `(queue, job_id)` unique: one piece of work reaches a queue once, whoever writes it again
 *   (the writer ignores the duplicate; BullMQ dedupes by job id on its side too).
 * - queue names and job ids without `:` (BullMQ refuses them).
 * - `done_at` only after `sent_at`.
 * Two partial indexes keep the relay's two scans (unsent; sent but not done) cheap however
 * large the table grows; no more indexes than that (every row is updated once or twice).
 */
export function outboxTableSql(schema: string): string[] {
  const t = `${ident(schema)}.outbox`;
  return [
    `CREATE TABLE ${t} (
      id uuid PRIMARY KEY,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      queue text NOT NULL CHECK (length(queue) BETWEEN 1 AND 200 AND strpos(queue, ':') = 0),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
      job_id text NOT NULL CHECK (length(job_id) BETWEEN 1 AND 200 AND strpos(job_id, ':') = 0),
      delay_ms integer NOT NULL DEFAULT 0 CHECK (delay_ms >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      sends integer NOT NULL DEFAULT 0 CHECK (sends >= 0),
      done_at timestamptz,
      CONSTRAINT outbox_done_after_sent CHECK (done_at IS NULL OR sent_at IS NOT NULL),
      CONSTRAINT outbox_queue_job_key UNIQUE (queue, job_id)
    )`,
    `CREATE INDEX outbox_unsent_idx ON ${t} (seq) WHERE sent_at IS NULL`,
    `CREATE INDEX outbox_undone_idx ON ${t} (seq) WHERE sent_at IS NOT NULL AND done_at IS NULL`,
  ];
}

/**
 * Fan-out rows, added to `<schema>.outbox` by a later migration of each app:
 *
 *   export const OutboxFanout1766300000010 = outboxFanoutMigration('production', 'OutboxFanout1766300000010');
 *
 * `entries`: when set, the row stands for one BullMQ job per entry (`{ jobId, payload }`), all on
 * the row's queue, each under its own job id. A transaction that queues many jobs writes one
 * row instead of one each: a row costs a heap tuple, three index entries and a non-HOT update
 * when sent, and a round's funding queues thousands of jobs at once.
 * The partial index finds the open (not done) fan-out rows of a queue: a withdrawal, or a reader
 * asking whether a job's entry is still the relay's to deliver.
 */
export function outboxFanoutSql(schema: string): string[] {
  const t = `${ident(schema)}.outbox`;
  return [
    `ALTER TABLE ${t} ADD COLUMN entries jsonb CONSTRAINT outbox_entries_array CHECK (entries IS NULL OR jsonb_typeof(entries) = 'array')`,
    `CREATE INDEX outbox_fanout_open_idx ON ${t} (queue) WHERE entries IS NOT NULL AND done_at IS NULL`,
  ];
}

export function dropOutboxFanoutSql(schema: string): string[] {
  const t = `${ident(schema)}.outbox`;
  return [`DROP INDEX ${ident(schema)}.outbox_fanout_open_idx`, `ALTER TABLE ${t} DROP COLUMN entries`];
}

/** The migration adding fan-out rows to an app's outbox; `name` ends in its 13-digit timestamp, as TypeORM wants. */
export function outboxFanoutMigration(schema: string, name: string): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;

    async up(q: QueryRunner): Promise<void> {
      for (const sql of outboxFanoutSql(schema)) await q.query(sql);
    }

    async down(q: QueryRunner): Promise<void> {
      for (const sql of dropOutboxFanoutSql(schema)) await q.query(sql);
    }
  };
}

export function dropOutboxTableSql(schema: string): string {
  return `DROP TABLE IF EXISTS ${ident(schema)}.outbox`;
}

/** The LISTEN/NOTIFY channel the writer pings and the relay listens on. */
export function outboxChannel(schema: string): string {
  return `outbox_${schema}`;
}

export function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return `"${name}"`;
}
