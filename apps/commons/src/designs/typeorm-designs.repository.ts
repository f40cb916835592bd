import semver from 'semver';
import type { DataSource, EntityManager } from 'typeorm';
import type { BuildCounts, EndorsementView, LineageNode, VersionListItem } from '#libs/contracts/src/commons/views.js';
import { PG_UNIQUE_VIOLATION, pgCode, pgConstraint } from '#libs/database/src/index.js';
import { DesignMaintainerEntity } from './design-maintainer.entity.js';
import {
  AlreadyEndorsedError,
  type BuildReportRecord,
  type DesignHead,
  type DesignRecord,
  type DesignsRepository,
  type DesignsStore,
  type Lineage,
  type NewBuildReport,
  type NewDesign,
  type NewEndorsement,
  type NewVersion,
  type ProductionBuildReport,
  SameContentError,
  type SearchRow,
  SlugTakenError,
  type StoredProductionReports,
  type VersionRecord,
  VersionTakenError,
} from './designs.repository.js';
import type { SearchQuery } from './search-query.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Forks of forks deeper than this are not followed (a guard; the lineage is acyclic by construction). */
const MAX_LINEAGE_DEPTH = 100;

const DESIGN_COLUMNS = `
  d.id, d.slug, d.created_by, d.created_at, d.updated_at, d.latest_version_id, d.latest_version,
  d.title, d.function, d.keywords, d.license, d.processes, d.materials,
  d.successful_builds, d.failed_builds, d.units_built, d.endorsements, d.verified`;

const VERSION_COLUMNS = `
  v.id, v.design_id, d.slug, v.version, v.content, v.content_hash, v.repo,
  v.forked_from_version_id, v.published_by, v.published_at`;

type Row = Record<string, any>;

function toDesign(r: Row): DesignRecord {
  return {
    id: r.id,
    slug: r.slug,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    latestVersionId: r.latest_version_id,
    latestVersion: r.latest_version,
    title: r.title,
    function: r.function,
    keywords: r.keywords,
    license: r.license,
    processes: r.processes,
    materials: r.materials,
    successfulBuilds: r.successful_builds,
    failedBuilds: r.failed_builds,
    unitsBuilt: Number(r.units_built),
    endorsements: r.endorsements,
    verified: r.verified,
  };
}

function toVersion(r: Row): VersionRecord {
  return {
    id: r.id,
    designId: r.design_id,
    slug: r.slug,
    version: r.version,
    content: r.content,
    contentHash: r.content_hash,
    repo: r.repo,
    forkedFromVersionId: r.forked_from_version_id,
    publishedBy: r.published_by,
    publishedAt: r.published_at,
  };
}

function toEndorsement(r: Row): EndorsementView {
  return {
    id: r.id,
    designVersionId: r.design_version_id,
    kind: r.kind,
    endorserId: r.endorser_id,
    note: r.note,
    createdAt: (r.created_at as Date).toISOString(),
  };
}

function toLineageNode(r: Row): LineageNode {
  return {
    designId: r.design_id,
    slug: r.slug,
    designVersionId: r.version_id,
    version: r.version,
    title: r.title,
    license: r.license,
    depth: r.depth,
    ...(r.fork_of_version_id ? { forkOfVersionId: r.fork_of_version_id } : {}),
  };
}

/** The only place with SQL for the commons. */
export class TypeormDesignsStore implements DesignsStore {
  constructor(protected readonly manager: EntityManager) {}

  private query<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.manager.query(sql, params);
  }

  async findDesign(ref: string, options: { lock?: boolean } = {}): Promise<DesignRecord | null> {
    const byId = UUID.test(ref);
    const rows = await this.query(
      `SELECT ${DESIGN_COLUMNS} FROM commons.designs d WHERE ${byId ? 'd.id = $1::uuid' : 'd.slug = $1'}${options.lock ? ' FOR UPDATE' : ''}`,
      [byId ? ref.toLowerCase() : ref],
    );
    return rows[0] ? toDesign(rows[0]) : null;
  }

  async findVersion(designId: string, version: string): Promise<VersionRecord | null> {
    const rows =
      version === 'latest'
        ? await this.query(
            `SELECT ${VERSION_COLUMNS} FROM commons.designs d JOIN commons.design_versions v ON v.id = d.latest_version_id WHERE d.id = $1`,
            [designId],
          )
        : await this.query(
            `SELECT ${VERSION_COLUMNS} FROM commons.design_versions v JOIN commons.designs d ON d.id = v.design_id
             WHERE v.design_id = $1 AND v.version = $2`,
            [designId, version],
          );
    return rows[0] ? toVersion(rows[0]) : null;
  }

  async findVersionById(id: string): Promise<VersionRecord | null> {
    if (!UUID.test(id)) return null;
    const rows = await this.query(
      `SELECT ${VERSION_COLUMNS} FROM commons.design_versions v JOIN commons.designs d ON d.id = v.design_id WHERE v.id = $1`,
      [id],
    );
    return rows[0] ? toVersion(rows[0]) : null;
  }

  async findVersionByHash(contentHash: string): Promise<VersionRecord | null> {
    const rows = await this.query(
      `SELECT ${VERSION_COLUMNS} FROM commons.design_versions v JOIN commons.designs d ON d.id = v.design_id
       WHERE v.content_hash = $1 ORDER BY v.published_at, v.id LIMIT 1`,
      [contentHash],
    );
    return rows[0] ? toVersion(rows[0]) : null;
  }

  async slugsLike(base: string): Promise<Set<string>> {
    const rows = await this.query<{ slug: string }>(
      `SELECT slug FROM commons.designs WHERE slug = $1 OR (slug LIKE $2 AND substr(slug, $3) ~ '^[0-9]+$')`,
      [base, `${base.replace(/[\\%_]/g, '\\$&')}-%`, base.length + 2],
    );
    return new Set(rows.map((r) => r.slug));
  }

  async isMaintainer(designId: string, accountId: string): Promise<boolean> {
    return this.manager.getRepository(DesignMaintainerEntity).existsBy({ designId, accountId });
  }

  async maintainers(designId: string): Promise<string[]> {
    const rows = await this.manager.getRepository(DesignMaintainerEntity).find({
      where: { designId },
      order: { addedAt: 'ASC', accountId: 'ASC' },
    });
    return rows.map((r) => r.accountId);
  }

  async forkOrigin(designId: string): Promise<VersionRecord | null> {
    const rows = await this.query(
      `SELECT ${VERSION_COLUMNS}
       FROM commons.design_versions f
       JOIN commons.design_versions v ON v.id = f.forked_from_version_id
       JOIN commons.designs d ON d.id = v.design_id
       WHERE f.design_id = $1 AND f.forked_from_version_id IS NOT NULL`,
      [designId],
    );
    return rows[0] ? toVersion(rows[0]) : null;
  }

  async insertDesign(design: NewDesign, firstVersion: NewVersion): Promise<void> {
    // A savepoint (or a transaction of its own): the design and its first version exist
    // together or not at all, and a taken slug leaves the caller's transaction usable.
    await this.manager.transaction(async (m) => {
      const h = design.head;
      try {
        await m.query(
          `INSERT INTO commons.designs
             (id, slug, created_by, latest_version_id, latest_version, title, function, keywords, license, processes, materials)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [design.id, design.slug, design.createdBy, h.latestVersionId, h.latestVersion, h.title, h.function, h.keywords, h.license, h.processes, h.materials],
        );
      } catch (error) {
        if (pgCode(error) === PG_UNIQUE_VIOLATION && pgConstraint(error) === 'designs_slug_key') throw new SlugTakenError(design.slug);
        throw error;
      }
      await new TypeormDesignsStore(m).insertVersion(firstVersion);
      for (const accountId of design.maintainers) {
        await m.query(
          `INSERT INTO commons.design_maintainers (design_id, account_id, added_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
          [design.id, accountId, design.createdBy],
        );
      }
    });
  }

  async insertVersion(v: NewVersion): Promise<void> {
    try {
      await this.manager.transaction((m) =>
        m.query(
          `INSERT INTO commons.design_versions
             (id, design_id, version, content, content_hash, title, license, repo, forked_from_version_id, published_by)
           VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10)`,
          [v.id, v.designId, v.version, JSON.stringify(v.content), v.contentHash, v.content.title, v.content.license, v.repo ?? null, v.forkedFromVersionId ?? null, v.publishedBy],
        ),
      );
    } catch (error) {
      if (pgCode(error) === PG_UNIQUE_VIOLATION) {
        const constraint = pgConstraint(error);
        if (constraint === 'design_versions_version_key') throw new VersionTakenError(v.version);
        if (constraint === 'design_versions_content_key') throw new SameContentError(v.contentHash);
      }
      throw error;
    }
  }

  async setHead(designId: string, h: DesignHead): Promise<void> {
    await this.query(
      `UPDATE commons.designs SET latest_version_id = $2, latest_version = $3, title = $4, function = $5, keywords = $6,
         license = $7, processes = $8, materials = $9, updated_at = now()
       WHERE id = $1`,
      [designId, h.latestVersionId, h.latestVersion, h.title, h.function, h.keywords, h.license, h.processes, h.materials],
    );
  }

  async addMaintainer(designId: string, accountId: string, addedBy: string | null): Promise<boolean> {
    const rows = await this.query(
      `INSERT INTO commons.design_maintainers (design_id, account_id, added_by) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING account_id`,
      [designId, accountId, addedBy],
    );
    return rows.length > 0;
  }

  async insertBuildReport(r: NewBuildReport): Promise<BuildReportRecord | null> {
    const rows = await this.query(
      `INSERT INTO commons.build_reports
         (design_version_id, fab_unit_id, success, quantity, notes, photo_url, source, source_job_id, reported_by, api_key_id, reported_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, coalesce($11, now()))
       ON CONFLICT (source_job_id) DO NOTHING
       RETURNING id, reported_at`,
      [r.designVersionId, r.fabUnitId, r.success, r.quantity, r.notes, r.photoUrl, r.source, r.sourceJobId, r.reportedBy, r.apiKeyId, r.reportedAt],
    );
    if (!rows[0]) return null;
    return { ...r, id: rows[0].id, reportedAt: rows[0].reported_at };
  }

  async insertProductionReports(reports: readonly ProductionBuildReport[]): Promise<StoredProductionReports> {
    const byJob = new Map(reports.map((r) => [r.sourceJobId, r]));
    if (byJob.size === 0) return { stored: [], repeated: [], unknownVersion: [] };
    const input = [...byJob.values()].map((r) => ({
      source_job_id: r.sourceJobId,
      design_version_id: r.designVersionId,
      fab_unit_id: r.fabUnitId,
      success: r.success,
      quantity: r.quantity,
      notes: r.notes,
      reported_at: r.reportedAt.toISOString(),
    }));
    // Each row's trigger updates its design's counters: rows go in design order, so two
    // batches touching the same designs lock them in the same order (no deadlock).
    const rows = await this.query<{ source_job_id: string; design_version_id: string; known: boolean; stored: boolean }>(
      `WITH input AS (
         SELECT * FROM json_to_recordset($1::json)
           AS x(source_job_id text, design_version_id uuid, fab_unit_id uuid, success boolean, quantity int, notes text, reported_at timestamptz)
       ), known AS (
         SELECT i.*, v.design_id FROM input i JOIN commons.design_versions v ON v.id = i.design_version_id
       ), ins AS (
         INSERT INTO commons.build_reports (design_version_id, fab_unit_id, success, quantity, notes, source, source_job_id, reported_at)
         SELECT k.design_version_id, k.fab_unit_id, k.success, k.quantity, k.notes, 'production', k.source_job_id, k.reported_at
         FROM known k ORDER BY k.design_id, k.source_job_id
         ON CONFLICT (source_job_id) DO NOTHING
         RETURNING source_job_id
       )
       SELECT i.source_job_id, i.design_version_id, k.source_job_id IS NOT NULL AS known, s.source_job_id IS NOT NULL AS stored
       FROM input i LEFT JOIN known k ON k.source_job_id = i.source_job_id LEFT JOIN ins s ON s.source_job_id = i.source_job_id`,
      [JSON.stringify(input)],
    );
    const result: StoredProductionReports = { stored: [], repeated: [], unknownVersion: [] };
    for (const r of rows) {
      if (!r.known) result.unknownVersion.push({ sourceJobId: r.source_job_id, designVersionId: r.design_version_id });
      else (r.stored ? result.stored : result.repeated).push(r.source_job_id);
    }
    return result;
  }

  async insertEndorsement(e: NewEndorsement): Promise<EndorsementView> {
    const rows = await this.query(
      `INSERT INTO commons.endorsements (design_version_id, kind, endorser_id, endorsed_by, note)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ON CONSTRAINT endorsements_once_key DO NOTHING
       RETURNING id, design_version_id, kind, endorser_id, note, created_at`,
      [e.designVersionId, e.kind, e.endorserId, e.endorsedBy, e.note],
    );
    if (!rows[0]) throw new AlreadyEndorsedError();
    return toEndorsement(rows[0]);
  }

  async versionsOf(designId: string): Promise<VersionListItem[]> {
    const rows = await this.query(
      `SELECT v.id, v.version, v.content_hash, v.published_at, b.successful, b.failed, b.units, e.endorsements
       FROM commons.design_versions v
       CROSS JOIN LATERAL (
         SELECT count(*) FILTER (WHERE success)::int AS successful,
                count(*) FILTER (WHERE NOT success)::int AS failed,
                coalesce(sum(quantity) FILTER (WHERE success), 0)::bigint AS units
         FROM commons.build_reports WHERE design_version_id = v.id) b
       CROSS JOIN LATERAL (SELECT count(*)::int AS endorsements FROM commons.endorsements WHERE design_version_id = v.id) e
       WHERE v.design_id = $1`,
      [designId],
    );
    return rows
      .map((r) => ({
        designVersionId: r.id,
        version: r.version,
        contentHash: r.content_hash,
        publishedAt: (r.published_at as Date).toISOString(),
        verified: r.successful > 0,
        builds: { successful: r.successful, failed: r.failed, unitsBuilt: Number(r.units) },
        endorsements: r.endorsements,
      }))
      .sort((a, b) => semver.rcompare(a.version, b.version));
  }

  async buildCounts(designVersionId: string): Promise<BuildCounts> {
    const rows = await this.query(
      `SELECT count(*) FILTER (WHERE success)::int AS successful, count(*) FILTER (WHERE NOT success)::int AS failed,
              coalesce(sum(quantity) FILTER (WHERE success), 0)::bigint AS units
       FROM commons.build_reports WHERE design_version_id = $1`,
      [designVersionId],
    );
    return { successful: rows[0].successful, failed: rows[0].failed, unitsBuilt: Number(rows[0].units) };
  }

  async endorsementsOf(designVersionId: string): Promise<EndorsementView[]> {
    const rows = await this.query(
      `SELECT id, design_version_id, kind, endorser_id, note, created_at FROM commons.endorsements
       WHERE design_version_id = $1 ORDER BY created_at, id`,
      [designVersionId],
    );
    return rows.map(toEndorsement);
  }

  async lineageUp(designVersionId: string): Promise<VersionRecord[]> {
    const rows = await this.query(
      `WITH RECURSIVE up (version_id, depth) AS (
         SELECT $1::uuid, 0
         UNION ALL
         SELECT origin.forked_from_version_id, up.depth + 1
         FROM up
         JOIN commons.design_versions cur ON cur.id = up.version_id
         JOIN commons.design_versions origin ON origin.design_id = cur.design_id AND origin.forked_from_version_id IS NOT NULL
         WHERE up.depth < ${MAX_LINEAGE_DEPTH}
       )
       SELECT ${VERSION_COLUMNS}
       FROM up JOIN commons.design_versions v ON v.id = up.version_id JOIN commons.designs d ON d.id = v.design_id
       ORDER BY up.depth`,
      [designVersionId],
    );
    return rows.map(toVersion);
  }

  async lineage(designId: string): Promise<Lineage> {
    const ancestors = await this.query(
      `WITH RECURSIVE up (parent_version_id, depth) AS (
         SELECT f.forked_from_version_id, 1
         FROM commons.design_versions f WHERE f.design_id = $1 AND f.forked_from_version_id IS NOT NULL
         UNION ALL
         SELECT origin.forked_from_version_id, up.depth + 1
         FROM up
         JOIN commons.design_versions parent ON parent.id = up.parent_version_id
         JOIN commons.design_versions origin ON origin.design_id = parent.design_id AND origin.forked_from_version_id IS NOT NULL
         WHERE up.depth < ${MAX_LINEAGE_DEPTH}
       )
       SELECT up.depth, v.id AS version_id, v.version, v.design_id, d.slug, v.title, v.license
       FROM up JOIN commons.design_versions v ON v.id = up.parent_version_id JOIN commons.designs d ON d.id = v.design_id
       ORDER BY up.depth`,
      [designId],
    );
    const descendants = await this.query(
      `WITH RECURSIVE down (fork_version_id, design_id, depth) AS (
         SELECT f.id, f.design_id, 1
         FROM commons.design_versions p JOIN commons.design_versions f ON f.forked_from_version_id = p.id
         WHERE p.design_id = $1
         UNION ALL
         SELECT f.id, f.design_id, down.depth + 1
         FROM down
         JOIN commons.design_versions p ON p.design_id = down.design_id
         JOIN commons.design_versions f ON f.forked_from_version_id = p.id
         WHERE down.depth < ${MAX_LINEAGE_DEPTH}
       )
       SELECT down.depth, f.id AS version_id, f.version, f.design_id, d.slug, f.title, f.license,
              f.forked_from_version_id AS fork_of_version_id
       FROM down JOIN commons.design_versions f ON f.id = down.fork_version_id JOIN commons.designs d ON d.id = f.design_id
       ORDER BY down.depth, f.published_at, f.id`,
      [designId],
    );
    return { ancestors: ancestors.map(toLineageNode), descendants: descendants.map(toLineageNode) };
  }

  async search(q: SearchQuery): Promise<SearchRow[]> {
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where: string[] = [];
    let from = 'commons.designs d';
    let rank = 'NULL::real';
    if (q.text) {
      from += `, websearch_to_tsquery('english', ${p(q.text)}) query`;
      rank = 'ts_rank(d.search, query)';
      where.push('d.search @@ query');
    }
    // With a text query the text index is the one to follow: a process subtree (all of
    // 3d-printing) can hold half the commons, and AND-ing its bitmap costs more than checking
    // the text matches one by one (measured over the bench's query mix: -20 % in total). The
    // no-op concatenation keeps the planner off the array indexes; without text it uses them.
    const arrays = (column: string) => (q.text ? `(${column} || '{}'::text[])` : column);
    if (q.processes) where.push(`${arrays('d.processes')} && ${p(q.processes)}::text[]`);
    if (q.material) where.push(`${arrays('d.materials')} @> ARRAY[${p(q.material)}]::text[]`);
    if (q.license) where.push(`d.license = ${p(q.license)}`);
    if (q.verifiedOnly) where.push('d.verified');
    if (q.after?.order === 'rank') where.push(`(${rank}, d.id) < (${p(q.after.rank)}::real, ${p(q.after.id)}::uuid)`);
    if (q.after?.order === 'recent') where.push(`(d.created_at, d.id) < (${p(q.after.createdAt)}::timestamptz, ${p(q.after.id)}::uuid)`);
    // Only id and rank travel through the sort of every match; the page's rows are read after
    // (a third less time for a query matching thousands of designs).
    const rows = await this.query(
      `SELECT ${DESIGN_COLUMNS}, page.rank, page.rank::text AS rank_text,
              to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_key
       FROM (
         SELECT d.id, d.created_at, ${rank} AS rank
         FROM ${from}
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY ${q.text ? 'rank DESC, d.id DESC' : 'd.created_at DESC, d.id DESC'}
         LIMIT ${p(q.limit + 1)}
       ) page
       JOIN commons.designs d ON d.id = page.id
       ORDER BY ${q.text ? 'page.rank DESC, page.id DESC' : 'page.created_at DESC, page.id DESC'}`,
      params,
    );
    return rows.map((r) => ({ ...toDesign(r), rankText: r.rank_text, createdAtKey: r.created_at_key }));
  }

  async lockContent(contentHash: string): Promise<void> {
    await this.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`commons:content:${contentHash}`]);
  }
}

export class TypeormDesignsRepository extends TypeormDesignsStore implements DesignsRepository {
  constructor(private readonly dataSource: DataSource) {
    super(dataSource.manager);
  }

  transaction<T>(work: (store: DesignsStore) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((m) => work(new TypeormDesignsStore(m)));
  }
}
