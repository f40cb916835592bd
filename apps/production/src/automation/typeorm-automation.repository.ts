import type { EntityManager } from 'typeorm';

/** A row of `production.automated_units`, as PostgreSQL gives it. */
export interface AutomatedUnitRow {
  fab_unit_id: string;
  concurrency: number;
  /** Simulated machine time per job (ms); set by tests, benchmarks and the demo, kept by the HTTP route. */
  work_ms: number;
  created_at: Date;
}

/** The SQL of `production.automated_units`: the units whose queue a connector in production works. */
export class AutomationRepository {
  async find(m: EntityManager, fabUnitId: string): Promise<AutomatedUnitRow | null> {
    const rows: AutomatedUnitRow[] = await m.query(`SELECT * FROM production.automated_units WHERE fab_unit_id = $1`, [fabUnitId]);
    return rows[0] ?? null;
  }

  /** Every automated unit, oldest first (a pool with fewer slots than units takes the oldest). */
  async all(m: EntityManager): Promise<AutomatedUnitRow[]> {
    return m.query(`SELECT * FROM production.automated_units ORDER BY created_at, fab_unit_id`);
  }

  /** Automates a unit or changes its concurrency; `workMs` omitted keeps the unit's (0 for a new one). */
  async upsert(m: EntityManager, unit: { fabUnitId: string; concurrency: number; workMs?: number }): Promise<AutomatedUnitRow> {
    const rows: AutomatedUnitRow[] = await m.query(
      `INSERT INTO production.automated_units (fab_unit_id, concurrency, work_ms) VALUES ($1, $2, coalesce($3::int, 0))
       ON CONFLICT (fab_unit_id) DO UPDATE SET concurrency = EXCLUDED.concurrency,
         work_ms = coalesce($3::int, production.automated_units.work_ms)
       RETURNING *`,
      [unit.fabUnitId, unit.concurrency, unit.workMs ?? null],
    );
    return rows[0]!;
  }

  /** Returns whether the unit was automated. */
  async remove(m: EntityManager, fabUnitId: string): Promise<boolean> {
    // (A bare DELETE comes back from TypeORM as [rows, count]; a SELECT comes back as rows.)
    const rows: unknown[] = await m.query(
      `WITH d AS (DELETE FROM production.automated_units WHERE fab_unit_id = $1 RETURNING fab_unit_id) SELECT fab_unit_id FROM d`,
      [fabUnitId],
    );
    return rows.length > 0;
  }
}
