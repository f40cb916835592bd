import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `jobs_request_idx (request_id)` duplicates the leading column of the unique
 * `jobs_step_attempt_key (request_id, step_index, attempt)`, which serves every lookup by request
 * (a request's jobs, the "all jobs completed?" check, the foreign key from requests) as well.
 * Every job insert and every state change (state is indexed elsewhere, so those updates are never
 * HOT) paid for an entry in both; the automated connector's batches and a round's funding write
 * thousands of them at once.
 */
export class DropJobsRequestIndex1766200000000 implements MigrationInterface {
  name = 'DropJobsRequestIndex1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX production.jobs_request_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX jobs_request_idx ON production.jobs (request_id)`);
  }
}
