import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = [
  { table: 'job_transitions', subject: 'job_id', index: 'job_transitions_job_idx' },
  { table: 'request_transitions', subject: 'request_id', index: 'request_transitions_request_idx' },
] as const;

/**
 * The transition tables had two btrees each: the primary key on `id` and `(subject, id)`, the
 * one every reader uses (a job's or a request's history, in order). `(subject, id)` becomes the
 * primary key and the `id` one goes: `id` is an identity, unique by itself, and nothing looks a
 * transition up by it alone. Each transition, the most frequent row production writes (two
 * per job and two per request on the automated path), now costs one index entry fewer.
 */
export class TransitionsKeyedBySubject1766300000000 implements MigrationInterface {
  name = 'TransitionsKeyedBySubject1766300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const { table, subject, index } of TABLES) {
      await q.query(`ALTER TABLE production.${table} DROP CONSTRAINT ${table}_pkey`);
      await q.query(`DROP INDEX production.${index}`);
      await q.query(`ALTER TABLE production.${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY (${subject}, id)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table, subject, index } of TABLES) {
      await q.query(`ALTER TABLE production.${table} DROP CONSTRAINT ${table}_pkey`);
      await q.query(`ALTER TABLE production.${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY (id)`);
      await q.query(`CREATE INDEX ${index} ON production.${table} (${subject}, id)`);
    }
  }
}
