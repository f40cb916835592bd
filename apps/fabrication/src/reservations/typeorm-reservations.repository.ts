import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { PlacedReservation } from '#libs/contracts/src/fabrication/messages.js';
import type { ReservationView } from '#libs/contracts/src/fabrication/views.js';
import type { MachineRecord, StockRecord } from '../fab-units/fab-unit-records.js';
import type { Tx } from '../fab-units/fab-units.repository.js';
import { MACHINE_COLUMNS, STOCK_COLUMNS } from '../fab-units/typeorm-fab-units.repository.js';
import type {
  HoldRow,
  NewReservation,
  PlacementRow,
  ReservationsRepository,
  ReservedRow,
  UnitCalendarRow,
} from './reservations.repository.js';
import { updatedRows } from '../sql-results.js';
import type { StockChange } from './usecases/settle-reservation/stock-settlement.js';

const RESERVATION_COLUMNS = `r.id, r.fab_unit_id AS "fabUnitId", r.machine_id AS "machineId", r.key, r.kind,
  lower(r.during) AS start, upper(r.during) AS "end", r.note, r.created_by AS "createdBy",
  r.consumed_at AS "consumedAt", r.released_at AS "releasedAt"`;

interface ReservationRow {
  id: string;
  fabUnitId: string;
  machineId: string;
  key: string | null;
  kind: 'job' | 'manual';
  start: Date;
  end: Date;
  note: string | null;
  createdBy: string | null;
  consumedAt: Date | null;
  releasedAt: Date | null;
}

function view(r: ReservationRow): ReservationView {
  return {
    id: r.id,
    fabUnitId: r.fabUnitId,
    machineId: r.machineId,
    key: r.key,
    kind: r.kind,
    start: r.start.toISOString(),
    end: r.end.toISOString(),
    ...(r.note ? { note: r.note } : {}),
    createdBy: r.createdBy,
    consumedAt: r.consumedAt?.toISOString() ?? null,
    releasedAt: r.releasedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class TypeormReservationsRepository implements ReservationsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private q(tx?: Tx): EntityManager {
    return (tx as unknown as EntityManager | undefined) ?? this.ds.manager;
  }

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.ds.transaction((em) => work(em as unknown as Tx));
  }

  async insertPlacement(key: string, fabUnitId: string, designVersionId: string | null, request: unknown, tx: Tx): Promise<boolean> {
    const rows = await this.q(tx).query(
      `INSERT INTO fabrication.placements (key, fab_unit_id, design_version_id, request) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, fabUnitId, designVersionId, JSON.stringify(request)],
    );
    return rows.length > 0;
  }

  async placement(key: string, tx?: Tx): Promise<PlacementRow | null> {
    const rows = await this.q(tx).query(
      `SELECT key, fab_unit_id AS "fabUnitId", design_version_id AS "designVersionId", result
       FROM fabrication.placements WHERE key = $1`,
      [key],
    );
    return rows[0] ?? null;
  }

  async finishPlacement(key: string, machineId: string | null, completion: Date, result: PlacedReservation, tx: Tx): Promise<void> {
    await this.q(tx).query(`UPDATE fabrication.placements SET machine_id = $2, completion = $3, result = $4::jsonb WHERE key = $1`, [
      key,
      machineId,
      completion,
      JSON.stringify(result),
    ]);
  }

  async unitCalendar(fabUnitId: string, tx?: Tx): Promise<UnitCalendarRow | null> {
    const rows = await this.q(tx).query(
      `SELECT id, name, status, timezone, opening_hours AS "openingHours", closures FROM fabrication.fab_units WHERE id = $1`,
      [fabUnitId],
    );
    return rows[0] ?? null;
  }

  lockMachines(fabUnitId: string, machineId: string | undefined, tx: Tx): Promise<MachineRecord[]> {
    return machineId
      ? this.q(tx).query(`SELECT ${MACHINE_COLUMNS} FROM fabrication.machines m WHERE m.fab_unit_id = $1 AND m.id = $2 FOR UPDATE`, [
          fabUnitId,
          machineId,
        ])
      : this.q(tx).query(`SELECT ${MACHINE_COLUMNS} FROM fabrication.machines m WHERE m.fab_unit_id = $1 ORDER BY m.id FOR UPDATE`, [
          fabUnitId,
        ]);
  }

  async machineOfUnit(fabUnitId: string, machineId: string, tx?: Tx): Promise<MachineRecord | null> {
    const rows = await this.q(tx).query(`SELECT ${MACHINE_COLUMNS} FROM fabrication.machines m WHERE m.fab_unit_id = $1 AND m.id = $2`, [
      fabUnitId,
      machineId,
    ]);
    return rows[0] ?? null;
  }

  async lockStock(fabUnitId: string, material: string, tx: Tx): Promise<StockRecord | null> {
    const rows = await this.q(tx).query(
      `SELECT ${STOCK_COLUMNS} FROM fabrication.material_stock s WHERE s.fab_unit_id = $1 AND s.material = $2 FOR UPDATE`,
      [fabUnitId, material],
    );
    return rows[0] ?? null;
  }

  async hold(fabUnitId: string, material: string, quantity: number, tx: Tx): Promise<boolean> {
    // The condition is re-checked on the locked row: concurrent holds can never overdraw.
    const rows = updatedRows(
      await this.q(tx).query(
        `UPDATE fabrication.material_stock SET held = held + $3, updated_at = now()
         WHERE fab_unit_id = $1 AND material = $2 AND quantity - held >= $3 RETURNING 1`,
        [fabUnitId, material, quantity],
      ),
    );
    return rows.length > 0;
  }

  async reserved(machineIds: readonly string[], from: Date, to: Date, tx?: Tx): Promise<ReservedRow[]> {
    if (!machineIds.length) return [];
    return this.q(tx).query(
      `SELECT machine_id AS "machineId", lower(during) AS start, upper(during) AS "end" FROM fabrication.reservations
       WHERE machine_id = ANY($1::uuid[]) AND released_at IS NULL AND during && tstzrange($2, $3)
       ORDER BY machine_id, lower(during)`,
      [machineIds, from, to],
    );
  }

  async insertReservations(rows: readonly NewReservation[], tx?: Tx): Promise<string[]> {
    if (!rows.length) return [];
    const out: { id: string; start: Date }[] = await this.q(tx).query(
      `INSERT INTO fabrication.reservations (machine_id, fab_unit_id, key, kind, during, note, created_by)
       SELECT "machineId", "fabUnitId", key, kind, tstzrange(start, "end", '[)'), note, "createdBy"
       FROM jsonb_to_recordset($1::jsonb) AS x("machineId" uuid, "fabUnitId" uuid, key text, kind text,
         start timestamptz, "end" timestamptz, note text, "createdBy" uuid)
       RETURNING id, lower(during) AS start`,
      [JSON.stringify(rows.map((r) => ({ ...r, note: r.note ?? null, createdBy: r.createdBy ?? null })))],
    );
    out.sort((a, b) => a.start.getTime() - b.start.getTime());
    return out.map((r) => r.id);
  }

  async insertHold(key: string, fabUnitId: string, material: string, quantity: number, unit: string, tx: Tx): Promise<string> {
    const rows = await this.q(tx).query(
      `INSERT INTO fabrication.material_holds (key, fab_unit_id, material, quantity, unit) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [key, fabUnitId, material, quantity, unit],
    );
    return rows[0].id;
  }

  async reservation(fabUnitId: string, id: string, tx?: Tx): Promise<ReservationView | null> {
    const rows: ReservationRow[] = await this.q(tx).query(
      `SELECT ${RESERVATION_COLUMNS} FROM fabrication.reservations r WHERE r.fab_unit_id = $1 AND r.id = $2`,
      [fabUnitId, id],
    );
    return rows[0] ? view(rows[0]) : null;
  }

  async list(fabUnitId: string, from: Date, to: Date): Promise<ReservationView[]> {
    const rows: ReservationRow[] = await this.ds.query(
      `SELECT ${RESERVATION_COLUMNS} FROM fabrication.reservations r
       WHERE r.fab_unit_id = $1 AND r.released_at IS NULL AND upper(r.during) > $2 AND lower(r.during) < $3
       ORDER BY lower(r.during), r.machine_id LIMIT 5000`,
      [fabUnitId, from, to],
    );
    return rows.map(view);
  }

  async overlapping(machineId: string, start: Date, end: Date): Promise<ReservationView[]> {
    const rows: ReservationRow[] = await this.ds.query(
      `SELECT ${RESERVATION_COLUMNS} FROM fabrication.reservations r
       WHERE r.machine_id = $1 AND r.released_at IS NULL AND r.during && tstzrange($2, $3) ORDER BY lower(r.during)`,
      [machineId, start, end],
    );
    return rows.map(view);
  }

  async releaseManual(id: string, at: Date, tx: Tx): Promise<void> {
    await this.q(tx).query(`UPDATE fabrication.reservations SET released_at = $2 WHERE id = $1 AND released_at IS NULL`, [id, at]);
  }

  async recordOutcomes(keys: readonly string[], outcome: 'consume' | 'release', at: Date, tx: Tx): Promise<string[]> {
    // In key order: two settlements sharing keys wait for each other the same way round.
    const rows: { key: string }[] = await this.q(tx).query(
      `INSERT INTO fabrication.reservation_outcomes (key, outcome, at)
       SELECT k, $2, $3 FROM unnest($1::text[]) AS k ORDER BY k
       ON CONFLICT (key) DO NOTHING RETURNING key`,
      [[...new Set(keys)], outcome, at],
    );
    return rows.map((r) => r.key).sort();
  }

  async outcomeOf(key: string, tx?: Tx): Promise<'consume' | 'release' | null> {
    const rows = await this.q(tx).query(`SELECT outcome FROM fabrication.reservation_outcomes WHERE key = $1`, [key]);
    return rows[0]?.outcome ?? null;
  }

  lockPlacements(keys: readonly string[], tx: Tx): Promise<Omit<PlacementRow, 'result'>[]> {
    return this.q(tx).query(
      `SELECT key, fab_unit_id AS "fabUnitId", design_version_id AS "designVersionId"
       FROM fabrication.placements WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE`,
      [keys],
    );
  }

  activeHolds(keys: readonly string[], tx: Tx): Promise<HoldRow[]> {
    return this.q(tx).query(
      `SELECT id, key, fab_unit_id AS "fabUnitId", material, quantity::float8 AS quantity, unit FROM fabrication.material_holds
       WHERE key = ANY($1::text[]) AND consumed_at IS NULL AND released_at IS NULL ORDER BY id FOR UPDATE`,
      [keys],
    );
  }

  lockStocks(items: readonly { fabUnitId: string; material: string }[], tx: Tx): Promise<StockRecord[]> {
    if (!items.length) return Promise.resolve([]);
    return this.q(tx).query(
      `SELECT ${STOCK_COLUMNS} FROM fabrication.material_stock s
       WHERE (s.fab_unit_id, s.material) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))
       ORDER BY s.fab_unit_id, s.material FOR UPDATE`,
      [items.map((i) => i.fabUnitId), items.map((i) => i.material)],
    );
  }

  async endHolds(ids: readonly string[], outcome: 'consume' | 'release', at: Date, tx: Tx): Promise<void> {
    if (!ids.length) return;
    await this.q(tx).query(
      `UPDATE fabrication.material_holds SET ${outcome === 'consume' ? 'consumed_at' : 'released_at'} = $2 WHERE id = ANY($1::uuid[])`,
      [ids, at],
    );
  }

  async adjustStocks(changes: readonly StockChange[], tx: Tx): Promise<void> {
    if (!changes.length) return;
    // Summed in numeric, not in JavaScript, so many holds add up without binary noise. GREATEST
    // absorbs decimal noise from unit conversions; the CHECK constraint still guards the invariant.
    await this.q(tx).query(
      `UPDATE fabrication.material_stock s
       SET quantity = greatest(0, s.quantity - c.consumed), held = greatest(0, s.held - c.consumed - c.released), updated_at = now()
       FROM (SELECT fab_unit_id, material, sum(consumed) AS consumed, sum(released) AS released
             FROM unnest($1::uuid[], $2::text[], $3::numeric[], $4::numeric[]) AS x(fab_unit_id, material, consumed, released)
             GROUP BY fab_unit_id, material) c
       WHERE s.fab_unit_id = c.fab_unit_id AND s.material = c.material`,
      [changes.map((c) => c.fabUnitId), changes.map((c) => c.material), changes.map((c) => c.consumed), changes.map((c) => c.released)],
    );
  }

  async endReservations(keys: readonly string[], at: Date, consumed: boolean, tx: Tx): Promise<void> {
    if (!keys.length) return;
    const q = this.q(tx);
    await q.query(
      `UPDATE fabrication.reservations SET released_at = $2 WHERE key = ANY($1::text[]) AND released_at IS NULL AND lower(during) >= $2`,
      [keys, at],
    );
    await q.query(
      `UPDATE fabrication.reservations SET during = tstzrange(lower(during), $2, '[)')
       WHERE key = ANY($1::text[]) AND released_at IS NULL AND lower(during) < $2 AND upper(during) > $2`,
      [keys, at],
    );
    if (consumed) {
      await q.query(`UPDATE fabrication.reservations SET consumed_at = $2 WHERE key = ANY($1::text[]) AND released_at IS NULL`, [keys, at]);
    }
  }

  async recordBuilds(builds: readonly { key: string; fabUnitId: string; designVersionId: string }[], at: Date, tx: Tx): Promise<void> {
    if (!builds.length) return;
    await this.q(tx).query(
      `INSERT INTO fabrication.successful_builds (key, fab_unit_id, design_version_id, at)
       SELECT key, fab_unit_id, design_version_id, $4 FROM unnest($1::text[], $2::uuid[], $3::text[]) AS b(key, fab_unit_id, design_version_id)
       ON CONFLICT (key) DO NOTHING`,
      [builds.map((b) => b.key), builds.map((b) => b.fabUnitId), builds.map((b) => b.designVersionId), at],
    );
  }
}
