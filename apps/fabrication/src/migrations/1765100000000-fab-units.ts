import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fab units, their operators, machines and material stock.
 *
 * Location: no PostGIS here, so a GiST index on a generated `point(lon, lat)` serves both the
 * bounding-box pre-filter (`<@ box`) and nearest-first scans (`<->`); exact great-circle
 * distances are computed afterwards on the few rows that remain.
 */
export class FabUnits1765100000000 implements MigrationInterface {
  name = 'FabUnits1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fabrication.fab_units (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
        kind text NOT NULL CHECK (kind IN ('fablab', 'makerspace', 'hackerspace', 'workshop', 'micro-factory', 'facility')),
        status text NOT NULL CHECK (status IN ('Active', 'Planned', 'Temporary Closure', 'Closed')),
        access_type text CHECK (access_type IN ('Restricted', 'Restricted with public hours', 'Shared space', 'Public', 'Membership')),
        lat double precision CHECK (lat BETWEEN -90 AND 90),
        lon double precision CHECK (lon BETWEEN -180 AND 180),
        location point GENERATED ALWAYS AS (CASE WHEN lat IS NOT NULL AND lon IS NOT NULL THEN point(lon, lat) END) STORED,
        locatable boolean GENERATED ALWAYS AS (lat IS NOT NULL AND lon IS NOT NULL) STORED,
        address text,
        city text,
        region text,
        country text CHECK (country ~ '^[A-Z]{2}$'),
        postcode text,
        url text,
        contact jsonb NOT NULL DEFAULT '{}',
        timezone text,
        description text,
        opening_hours jsonb,
        closures jsonb NOT NULL DEFAULT '[]',
        source_system text NOT NULL,
        source_id text,
        -- Normalised name and url: the same unit listed twice is one unit (see okw/dedupe.ts).
        dedupe_key text NOT NULL,
        council_ids uuid[] NOT NULL DEFAULT '{}',
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT fab_units_coordinates_paired CHECK ((lat IS NULL) = (lon IS NULL)),
        CONSTRAINT fab_units_dedupe_key_unique UNIQUE (dedupe_key)
      )`);
    await q.query(`CREATE INDEX fab_units_location_gist ON fabrication.fab_units USING gist (location)`);
    await q.query(`CREATE INDEX fab_units_name_idx ON fabrication.fab_units (name, id)`);
    await q.query(`CREATE INDEX fab_units_country_idx ON fabrication.fab_units (country, name, id)`);

    await q.query(`
      CREATE TABLE fabrication.fab_unit_operators (
        fab_unit_id uuid NOT NULL REFERENCES fabrication.fab_units(id) ON DELETE CASCADE,
        account_id uuid NOT NULL,
        added_by uuid,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (fab_unit_id, account_id)
      )`);
    await q.query(`CREATE INDEX fab_unit_operators_account_idx ON fabrication.fab_unit_operators (account_id)`);

    await q.query(`
      CREATE TABLE fabrication.machines (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        fab_unit_id uuid NOT NULL REFERENCES fabrication.fab_units(id) ON DELETE CASCADE,
        position integer NOT NULL,
        process text NOT NULL,
        make text,
        model text,
        envelope_x_mm double precision CHECK (envelope_x_mm > 0),
        envelope_y_mm double precision CHECK (envelope_y_mm > 0),
        envelope_z_mm double precision CHECK (envelope_z_mm > 0),
        materials text[] NOT NULL DEFAULT '{}',
        status text NOT NULL CHECK (status IN ('available', 'maintenance', 'retired')),
        opening_hours jsonb,
        -- An OKW equipment entry with quantity n becomes n machines (each is booked on its
        -- own); these two bring them back together on export.
        okw_group integer,
        okw_quantity integer CHECK (okw_quantity > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT machines_envelope_complete CHECK (
          (envelope_x_mm IS NULL) = (envelope_y_mm IS NULL) AND (envelope_y_mm IS NULL) = (envelope_z_mm IS NULL))
      )`);
    await q.query(`CREATE INDEX machines_unit_idx ON fabrication.machines (fab_unit_id, position)`);
    await q.query(`CREATE INDEX machines_process_idx ON fabrication.machines (process, fab_unit_id)`);

    await q.query(`
      CREATE TABLE fabrication.material_stock (
        fab_unit_id uuid NOT NULL REFERENCES fabrication.fab_units(id) ON DELETE CASCADE,
        material text NOT NULL,
        position integer NOT NULL,
        quantity numeric,
        unit text,
        held numeric NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (fab_unit_id, material),
        CONSTRAINT material_stock_unit_with_quantity CHECK ((quantity IS NULL) = (unit IS NULL)),
        -- Stock never goes negative and never holds more than is on hand.
        CONSTRAINT material_stock_never_negative CHECK (quantity >= 0 AND held >= 0 AND held <= quantity),
        CONSTRAINT material_stock_unknown_holds_nothing CHECK (quantity IS NOT NULL OR held = 0)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE fabrication.material_stock`);
    await q.query(`DROP TABLE fabrication.machines`);
    await q.query(`DROP TABLE fabrication.fab_unit_operators`);
    await q.query(`DROP TABLE fabrication.fab_units`);
  }
}
