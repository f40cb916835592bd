import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What changes between two matches, in one call: the units to consider with their versions
 * (Active ones in range plus the nearest of any kind, or all the given ids) and, for those that
 * can pass the rules before stock (Active, in range — or given), their free stock of the
 * materials asked for, their active reservations in the period and their successful builds of
 * the design: the nearest units out of range are only explained, by rules that need none of it.
 * Rows of the four kinds come in one result, told apart by `kind`.
 *
 * Why a function: GET /matches runs this for every request, and planning the statement cost
 * as much as running it. A PL/pgSQL function caches its plans per connection, and forcing a
 * generic plan there (only there: the SET is scoped to the function) is safe because the
 * per-unit lookups are fenced LATERAL subqueries (OFFSET 0), which can only be planned as
 * index probes per unit, whatever the parameters.
 */
export class MatchState1765100000002 implements MigrationInterface {
  name = 'MatchState1765100000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS fabrication.reservations_unit_idx`);
    await q.query(
      `CREATE INDEX IF NOT EXISTS reservations_unit_end_idx ON fabrication.reservations (fab_unit_id, upper(during)) WHERE released_at IS NULL`,
    );
    await q.query(`
      CREATE FUNCTION fabrication.match_state(
        p_box1 box, p_box2 box, p_ids uuid[], p_near point, p_nearest int, p_materials text[],
        p_from timestamptz, p_to timestamptz, p_design text)
      RETURNS TABLE (kind int, fab_unit uuid, machine uuid, txt text, txt2 text, num1 float8, num2 float8)
      LANGUAGE plpgsql STABLE
      SET plan_cache_mode = force_generic_plan
      AS $fn$
      BEGIN
        RETURN QUERY
        WITH chosen AS (
          SELECT f.id, f.updated_at FROM fabrication.fab_units f
           WHERE p_ids IS NULL AND (f.location <@ p_box1 OR f.location <@ p_box2) AND f.status = 'Active'
        ), nearest AS (
          SELECT f.id, f.updated_at FROM fabrication.fab_units f
           WHERE p_ids IS NULL AND f.location IS NOT NULL
           ORDER BY f.location <-> p_near LIMIT p_nearest
        ), given AS (
          SELECT f.id, f.updated_at FROM fabrication.fab_units f WHERE p_ids IS NOT NULL AND f.id = ANY(p_ids)
        ), probed AS MATERIALIZED (
          SELECT c.id, c.updated_at FROM chosen c UNION ALL SELECT g.id, g.updated_at FROM given g
        ), ids AS (
          SELECT p.id, p.updated_at FROM probed p UNION SELECT n.id, n.updated_at FROM nearest n
        )
        SELECT 0, ids.id, NULL::uuid, (extract(epoch FROM ids.updated_at) * 1000000)::int8::text, NULL::text, NULL::float8, NULL::float8
          FROM ids
        UNION ALL
        SELECT 1, ids.id, NULL::uuid, s.material, s.unit, s.free, NULL::float8
          FROM probed ids CROSS JOIN LATERAL (
            SELECT ms.material, ms.unit, (ms.quantity - ms.held)::float8 AS free FROM fabrication.material_stock ms
             WHERE ms.fab_unit_id = ids.id AND ms.material = ANY(p_materials) AND ms.quantity IS NOT NULL OFFSET 0) s
        UNION ALL
        SELECT 2, ids.id, r.machine_id, NULL::text, NULL::text, r.s, r.e
          FROM probed ids CROSS JOIN LATERAL (
            SELECT rs.machine_id, (extract(epoch FROM lower(rs.during)) * 1000)::float8 AS s,
                   (extract(epoch FROM upper(rs.during)) * 1000)::float8 AS e
              FROM fabrication.reservations rs
             WHERE rs.fab_unit_id = ids.id AND rs.released_at IS NULL AND upper(rs.during) > p_from AND lower(rs.during) < p_to
            OFFSET 0) r
        UNION ALL
        SELECT 3, b.fab_unit_id, NULL::uuid, NULL::text, NULL::text, count(*)::float8, NULL::float8
          FROM fabrication.successful_builds b
         WHERE b.design_version_id = p_design AND b.fab_unit_id IN (SELECT p.id FROM probed p)
         GROUP BY b.fab_unit_id;
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION fabrication.match_state(box, box, uuid[], point, int, text[], timestamptz, timestamptz, text)`);
  }
}
