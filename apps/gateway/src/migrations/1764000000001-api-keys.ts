import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiKeys1764000000001 implements MigrationInterface {
  name = 'ApiKeys1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE gateway.api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        fab_unit_id uuid NOT NULL,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        secret_hash text NOT NULL,
        created_by uuid REFERENCES gateway.accounts(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_keys_fab_unit_idx ON gateway.api_keys (fab_unit_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE gateway.api_keys`);
  }
}
