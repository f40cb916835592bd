import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pool of the round that funded a request (the council's member units whose free time was
 * the round's budget), kept on the request: a job of it that is declined later is rerouted only
 * to a unit of that pool, inside the round's period. Null for a direct request, and for requests
 * funded before the council sent the pool (they keep rerouting along their match's alternatives).
 */
export class FundingPool1766100000010 implements MigrationInterface {
  name = 'FundingPool1766100000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE production.requests ADD COLUMN pool_fab_unit_ids uuid[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE production.requests DROP COLUMN pool_fab_unit_ids`);
  }
}
