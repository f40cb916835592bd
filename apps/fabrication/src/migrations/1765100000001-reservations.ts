import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reservations of machine time and holds on material.
 *
 * The exclusion constraint is the invariant "a machine never has two overlapping
 * reservations": PostgreSQL refuses the second of two racing inserts (23P01) whatever the
 * application did. Released reservations leave it (the partial predicate), so their time is
 * free again; consumed ones stay (that time was used).
 */
export class Reservations1765100000001 implements MigrationInterface {
  name = 'Reservations1765100000001';

  async up(q: QueryRunner): Promise<void> {
    // gist opclasses for uuid equality; default opclasses are found whatever the search_path.
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public`);

    await q.query(`
      CREATE TABLE fabrication.placements (
        key text PRIMARY KEY,
        fab_unit_id uuid NOT NULL REFERENCES fabrication.fab_units(id),
        machine_id uuid REFERENCES fabrication.machines(id),
        design_version_id text,
        completion timestamptz,
        request jsonb NOT NULL,
        -- What the first placement answered: placing the same key again answers it again.
        result jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE fabrication.reservations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        machine_id uuid NOT NULL REFERENCES fabrication.machines(id),
        fab_unit_id uuid NOT NULL REFERENCES fabrication.fab_units(id),
        key text REFERENCES fabrication.placements(key),
        kind text NOT NULL CHECK (kind IN ('job', 'manual')),
        during tstzrange NOT NULL,
        note text,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        consumed_at timestamptz,
        released_at timestamptz,
        CONSTRAINT reservations_half_open CHECK (
          NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during) AND NOT lower_inf(during) AND NOT upper_inf(during)),
        CONSTRAINT reservations_job_has_key CHECK ((kind = 'job') = (key IS NOT NULL)),
        CONSTRAINT reservations_no_overlap EXCLUDE USING gist (machine_id WITH =, during WITH &&) WHERE (released_at IS NULL)
      )`);
    await q.query(`CREATE INDEX reservations_key_idx ON fabrication.reservations (key) WHERE key IS NOT NULL`);
    // A unit's active reservations ending after a moment: matching and capacity read them per unit
    // (`upper(during) > from AND lower(during) < to`); a btree probe is cheaper than the GiST one.
    await q.query(`CREATE INDEX reservations_unit_end_idx ON fabrication.reservations (fab_unit_id, upper(during)) WHERE released_at IS NULL`);

    await q.query(`
      CREATE TABLE fabrication.material_holds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL UNIQUE REFERENCES fabrication.placements(key),
        fab_unit_id uuid NOT NULL,
        material text NOT NULL,
        quantity numeric NOT NULL CHECK (quantity > 0),
        unit text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        consumed_at timestamptz,
        released_at timestamptz,
        FOREIGN KEY (fab_unit_id, material) REFERENCES fabrication.material_stock(fab_unit_id, material),
        CONSTRAINT material_holds_end_once CHECK (consumed_at IS NULL OR released_at IS NULL)
      )`);

    // A job's outcome is applied once: the first message for a key wins, repeats do nothing.
    await q.query(`
      CREATE TABLE fabrication.reservation_outcomes (
        key text PRIMARY KEY,
        outcome text NOT NULL CHECK (outcome IN ('consume', 'release')),
        at timestamptz NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE fabrication.successful_builds (
        key text PRIMARY KEY,
        fab_unit_id uuid NOT NULL REFERENCES fabrication.fab_units(id),
        design_version_id text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX successful_builds_design_idx ON fabrication.successful_builds (design_version_id, fab_unit_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE fabrication.successful_builds`);
    await q.query(`DROP TABLE fabrication.reservation_outcomes`);
    await q.query(`DROP TABLE fabrication.material_holds`);
    await q.query(`DROP TABLE fabrication.reservations`);
    await q.query(`DROP TABLE fabrication.placements`);
  }
}
