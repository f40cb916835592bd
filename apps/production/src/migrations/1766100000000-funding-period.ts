import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The period of the round that funded a request, kept on the request: a job of it that is
 * declined later is rerouted inside that period, as its first placement was (the round's budget
 * was the pool's time in it). Null for a direct request, and for requests funded before the
 * council sent the period (production never learned it: they keep rerouting up to needBy).
 */
export class FundingPeriod1766100000000 implements MigrationInterface {
  name = 'FundingPeriod1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE production.requests
        ADD COLUMN period_from timestamptz,
        ADD COLUMN period_to timestamptz,
        ADD CONSTRAINT requests_period_is_a_span CHECK ((period_from IS NULL) = (period_to IS NULL) AND (period_to IS NULL OR period_to > period_from))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE production.requests DROP CONSTRAINT requests_period_is_a_span, DROP COLUMN period_to, DROP COLUMN period_from`);
  }
}
