import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The design commons: designs (a mutable head: slug, maintainers, the search projection of
 * the latest version, build and endorsement counts), immutable versions, and the append-only
 * facts about versions (build reports, endorsements).
 *
 * What the database itself guarantees:
 * - a published version never changes: UPDATE, DELETE and TRUNCATE of design_versions raise
 *   (so do those of build_reports and endorsements, which are facts as they were reported);
 * - one row per (design, semver): of two concurrent publications of one version, one wins;
 * - one version per (design, content hash): a new version is a change;
 * - one design per slug; a design's head names one of its own versions (composite FK);
 * - a design has at most one fork origin (only its first version records the parent);
 * - a production build report counts once (unique source_job_id), whatever the queue redelivers;
 * - the counts on a design are kept by triggers, so no path can forget them.
 */
export class Designs1764100000000 implements MigrationInterface {
  name = 'Designs1764100000000';

  async up(q: QueryRunner): Promise<void> {
    // array_to_string is only STABLE (element output functions in general may depend on
    // settings); for text[] it is immutable, which a generated column needs.
    await q.query(`
      CREATE FUNCTION commons.words(text[]) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT array_to_string($1, ' ') $$`);

    await q.query(`
      CREATE TABLE commons.designs (
        id uuid PRIMARY KEY,
        slug text NOT NULL CONSTRAINT designs_slug_key UNIQUE
          CONSTRAINT designs_slug_check CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        latest_version_id uuid NOT NULL,
        latest_version text NOT NULL,
        title text NOT NULL,
        function text NOT NULL,
        keywords text[] NOT NULL DEFAULT '{}',
        license text NOT NULL,
        processes text[] NOT NULL DEFAULT '{}',
        materials text[] NOT NULL DEFAULT '{}',
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english'::regconfig, title), 'A') ||
          setweight(to_tsvector('english'::regconfig, function), 'B') ||
          setweight(to_tsvector('english'::regconfig, coalesce(commons.words(keywords), '')), 'C')
        ) STORED,
        successful_builds integer NOT NULL DEFAULT 0 CHECK (successful_builds >= 0),
        failed_builds integer NOT NULL DEFAULT 0 CHECK (failed_builds >= 0),
        units_built bigint NOT NULL DEFAULT 0 CHECK (units_built >= 0),
        endorsements integer NOT NULL DEFAULT 0 CHECK (endorsements >= 0),
        verified boolean GENERATED ALWAYS AS (successful_builds > 0) STORED
      )`);

    await q.query(`
      CREATE TABLE commons.design_versions (
        id uuid PRIMARY KEY,
        design_id uuid NOT NULL REFERENCES commons.designs (id),
        version text NOT NULL CONSTRAINT design_versions_semver_check
          CHECK (version ~ '^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$'),
        content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
        content_hash text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
        title text NOT NULL,
        license text NOT NULL,
        repo text,
        forked_from_version_id uuid REFERENCES commons.design_versions (id),
        published_by uuid,
        published_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT design_versions_version_key UNIQUE (design_id, version),
        CONSTRAINT design_versions_content_key UNIQUE (design_id, content_hash),
        CONSTRAINT design_versions_id_design_key UNIQUE (id, design_id)
      )`);
    await q.query(`
      CREATE UNIQUE INDEX design_versions_one_fork_origin ON commons.design_versions (design_id)
      WHERE forked_from_version_id IS NOT NULL`);
    await q.query(`
      CREATE INDEX design_versions_forked_from_idx ON commons.design_versions (forked_from_version_id)
      WHERE forked_from_version_id IS NOT NULL`);
    await q.query(`CREATE INDEX design_versions_content_hash_idx ON commons.design_versions (content_hash)`);
    // The head names one of the design's own versions; deferred, since both rows are written
    // in one transaction and the design comes first.
    await q.query(`
      ALTER TABLE commons.designs ADD CONSTRAINT designs_latest_version_fk
      FOREIGN KEY (latest_version_id, id) REFERENCES commons.design_versions (id, design_id)
      DEFERRABLE INITIALLY DEFERRED`);

    await q.query(`
      CREATE TABLE commons.design_maintainers (
        design_id uuid NOT NULL REFERENCES commons.designs (id),
        account_id uuid NOT NULL,
        added_by uuid,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (design_id, account_id)
      )`);
    await q.query(`CREATE INDEX design_maintainers_account_idx ON commons.design_maintainers (account_id)`);

    await q.query(`
      CREATE TABLE commons.build_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        design_version_id uuid NOT NULL REFERENCES commons.design_versions (id),
        fab_unit_id uuid NOT NULL,
        success boolean NOT NULL,
        quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
        notes text CHECK (length(notes) <= 4000),
        photo_url text CHECK (length(photo_url) <= 2000),
        source text NOT NULL CHECK (source IN ('http', 'production')),
        source_job_id text CONSTRAINT build_reports_source_job_key UNIQUE,
        reported_by uuid,
        api_key_id uuid,
        reported_at timestamptz NOT NULL DEFAULT now(),
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT build_reports_job_source_check CHECK ((source = 'production') = (source_job_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX build_reports_version_idx ON commons.build_reports (design_version_id)`);

    await q.query(`
      CREATE TABLE commons.endorsements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        design_version_id uuid NOT NULL REFERENCES commons.design_versions (id),
        kind text NOT NULL CHECK (kind IN ('maintainer', 'council')),
        endorser_id uuid NOT NULL,
        endorsed_by uuid,
        note text CHECK (length(note) <= 2000),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT endorsements_once_key UNIQUE (design_version_id, kind, endorser_id)
      )`);

    // Search: full text, the process/material filters, the license filter and the two orders.
    await q.query(`CREATE INDEX designs_search_idx ON commons.designs USING gin (search)`);
    await q.query(`CREATE INDEX designs_processes_idx ON commons.designs USING gin (processes)`);
    await q.query(`CREATE INDEX designs_materials_idx ON commons.designs USING gin (materials)`);
    await q.query(`CREATE INDEX designs_recent_idx ON commons.designs (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX designs_license_recent_idx ON commons.designs (license, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX designs_verified_recent_idx ON commons.designs (created_at DESC, id DESC) WHERE verified`);

    await q.query(`
      CREATE FUNCTION commons.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% on %.% refused: published records never change (publish a new version instead)',
          TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
          USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    for (const table of ['design_versions', 'build_reports', 'endorsements']) {
      await q.query(`
        CREATE TRIGGER ${table}_immutable BEFORE UPDATE OR DELETE ON commons.${table}
        FOR EACH ROW EXECUTE FUNCTION commons.refuse_change()`);
      await q.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON commons.${table}
        FOR EACH STATEMENT EXECUTE FUNCTION commons.refuse_change()`);
    }

    await q.query(`
      CREATE FUNCTION commons.count_build_report() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE commons.designs d SET
          successful_builds = d.successful_builds + CASE WHEN NEW.success THEN 1 ELSE 0 END,
          failed_builds = d.failed_builds + CASE WHEN NEW.success THEN 0 ELSE 1 END,
          units_built = d.units_built + CASE WHEN NEW.success THEN NEW.quantity ELSE 0 END,
          updated_at = now()
        FROM commons.design_versions v
        WHERE v.id = NEW.design_version_id AND d.id = v.design_id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER build_reports_count AFTER INSERT ON commons.build_reports
      FOR EACH ROW EXECUTE FUNCTION commons.count_build_report()`);

    await q.query(`
      CREATE FUNCTION commons.count_endorsement() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE commons.designs d SET endorsements = d.endorsements + 1, updated_at = now()
        FROM commons.design_versions v
        WHERE v.id = NEW.design_version_id AND d.id = v.design_id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER endorsements_count AFTER INSERT ON commons.endorsements
      FOR EACH ROW EXECUTE FUNCTION commons.count_endorsement()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE commons.endorsements, commons.build_reports, commons.design_maintainers CASCADE`);
    await q.query(`ALTER TABLE commons.designs DROP CONSTRAINT designs_latest_version_fk`);
    await q.query(`DROP TABLE commons.design_versions, commons.designs CASCADE`);
    await q.query(`DROP FUNCTION commons.count_endorsement(), commons.count_build_report(), commons.refuse_change(), commons.words(text[])`);
  }
}
