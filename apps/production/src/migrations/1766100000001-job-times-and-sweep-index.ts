import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 1. `jobs_times_follow_state` asked every failed job for an `accepted_at`, so the re-queue
 *    sweep's `giveUp` of a job nobody ever took had to invent one. A failed job now keeps
 *    `accepted_at` empty when it was never accepted; a job that was started still needs both
 *    (started implies accepted, whatever its state now). Rows given up from `queued` before this
 *    migration lose the invented time.
 * 2. The sweep reads the live jobs (queued, accepted, in progress) in id order, page by page.
 *    The only index naming the state leads with the unit, so each round read all of it (every
 *    job ever made: ~7,100 pages at 200,000 jobs, 55–100 ms for that scan alone); a partial index
 *    on the live rows, in id order, holds only what the sweep looks at (24 pages, 1.5 ms there).
 *    Its write cost is one entry per move between live states (those updates already touch
 *    the state index); a progress report changes no indexed column and stays a HOT update.
 */
export class JobTimesAndSweepIndex1766100000001 implements MigrationInterface {
  name = 'JobTimesAndSweepIndex1766100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE production.jobs DROP CONSTRAINT jobs_times_follow_state`);
    await q.query(`
      UPDATE production.jobs j SET accepted_at = NULL
      WHERE j.state = 'failed' AND j.started_at IS NULL AND j.accepted_at IS NOT NULL
        AND EXISTS (SELECT 1 FROM production.job_transitions t WHERE t.job_id = j.id AND t.action = 'giveUp' AND t.from_state = 'queued')`);
    await q.query(`
      ALTER TABLE production.jobs ADD CONSTRAINT jobs_times_follow_state CHECK (
        (state NOT IN ('accepted', 'in_progress', 'completed') OR accepted_at IS NOT NULL)
        AND (state NOT IN ('in_progress', 'completed') OR started_at IS NOT NULL)
        AND (started_at IS NULL OR accepted_at IS NOT NULL)
        AND (state NOT IN ('completed', 'failed', 'cancelled', 'declined') OR finished_at IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX jobs_live_idx ON production.jobs (id) WHERE state IN ('queued', 'accepted', 'in_progress')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX production.jobs_live_idx`);
    await q.query(`ALTER TABLE production.jobs DROP CONSTRAINT jobs_times_follow_state`);
    // The old rule wants a time on every failed job: the time it was taken off the queue.
    await q.query(`UPDATE production.jobs SET accepted_at = finished_at WHERE state = 'failed' AND accepted_at IS NULL`);
    await q.query(`
      ALTER TABLE production.jobs ADD CONSTRAINT jobs_times_follow_state CHECK (
        (state NOT IN ('accepted', 'in_progress', 'completed', 'failed') OR accepted_at IS NOT NULL)
        AND (state NOT IN ('in_progress', 'completed') OR started_at IS NOT NULL)
        AND (state NOT IN ('completed', 'failed', 'cancelled', 'declined') OR finished_at IS NOT NULL)
      )`);
  }
}
