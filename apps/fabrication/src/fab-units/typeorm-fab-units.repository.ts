import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { FabUnitSummary } from '#libs/contracts/src/fabrication/messages.js';
import type { Closure, WeeklySchedule } from '#libs/contracts/src/fabrication/schedule.js';
import type { MachineRecord, MachineWrite, StockRecord, StockWrite, UnitRecord, UnitWrite } from './fab-unit-records.js';
import type {
  FabUnitsRepository,
  ListFilter,
  ListRow,
  MachinePatch,
  Tx,
  UnitBundle,
  UnitPatch,
} from './fab-units.repository.js';
import { boundingBoxes, haversineSql } from './geo-sql.js';
import { updatedRows } from '../sql-results.js';

export const UNIT_COLUMNS = `u.id, u.name, u.kind, u.status, u.access_type AS "accessType", u.lat, u.lon,
  u.address, u.city, u.region, u.country, u.postcode, u.url, u.contact, u.timezone, u.description,
  u.opening_hours AS "openingHours", u.closures, u.source_system AS "sourceSystem", u.source_id AS "sourceId",
  u.dedupe_key AS "dedupeKey", u.council_ids AS "councilIds", u.created_by AS "createdBy",
  u.created_at AS "createdAt", u.updated_at AS "updatedAt"`;

export const MACHINE_COLUMNS = `m.id, m.fab_unit_id AS "fabUnitId", m.position, m.process, m.make, m.model,
  m.envelope_x_mm AS "envelopeXMm", m.envelope_y_mm AS "envelopeYMm", m.envelope_z_mm AS "envelopeZMm",
  m.materials, m.status, m.opening_hours AS "openingHours", m.okw_group AS "okwGroup", m.okw_quantity AS "okwQuantity"`;

export const STOCK_COLUMNS = `s.fab_unit_id AS "fabUnitId", s.material, s.position, s.quantity::float8 AS quantity, s.unit, s.held::float8 AS held`;

const UNIT_FIELDS: Record<keyof UnitPatch, string> = {
  name: 'name',
  kind: 'kind',
  status: 'status',
  accessType: 'access_type',
  lat: 'lat',
  lon: 'lon',
  address: 'address',
  city: 'city',
  region: 'region',
  country: 'country',
  postcode: 'postcode',
  url: 'url',
  contact: 'contact',
  timezone: 'timezone',
  description: 'description',
  openingHours: 'opening_hours',
  closures: 'closures',
  dedupeKey: 'dedupe_key',
};
const JSON_FIELDS = new Set(['contact', 'openingHours', 'closures']);

const MACHINE_FIELDS: Record<keyof MachinePatch, string> = {
  process: 'process',
  make: 'make',
  model: 'model',
  envelopeXMm: 'envelope_x_mm',
  envelopeYMm: 'envelope_y_mm',
  envelopeZMm: 'envelope_z_mm',
  materials: 'materials',
  status: 'status',
  openingHours: 'opening_hours',
};

/** Rows per INSERT: well under PostgreSQL's 1 GB jsonb parameter, and progress to report. */
const CHUNK = 1000;

@Injectable()
export class TypeormFabUnitsRepository implements FabUnitsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private q(tx?: Tx): EntityManager {
    return (tx as unknown as EntityManager | undefined) ?? this.ds.manager;
  }

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.ds.transaction((em) => work(em as unknown as Tx));
  }

  async lockImports(tx: Tx): Promise<void> {
    await this.q(tx).query(`SELECT pg_advisory_xact_lock(hashtext('cosmolocal:fabrication:import'))`);
  }

  async exists(id: string, tx?: Tx): Promise<boolean> {
    const rows = await this.q(tx).query(`SELECT 1 FROM fabrication.fab_units WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  async isOperator(fabUnitId: string, accountId: string, tx?: Tx): Promise<boolean> {
    const rows = await this.q(tx).query(
      `SELECT 1 FROM fabrication.fab_unit_operators WHERE fab_unit_id = $1 AND account_id = $2`,
      [fabUnitId, accountId],
    );
    return rows.length > 0;
  }

  async unitOfMachine(machineId: string, tx?: Tx): Promise<string | null> {
    const rows = await this.q(tx).query(`SELECT fab_unit_id AS id FROM fabrication.machines WHERE id = $1`, [machineId]);
    return rows[0]?.id ?? null;
  }

  async lock(id: string, tx: Tx): Promise<UnitRecord | null> {
    const rows = await this.q(tx).query(`SELECT ${UNIT_COLUMNS} FROM fabrication.fab_units u WHERE u.id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  async bundles(ids: readonly string[], tx?: Tx): Promise<UnitBundle[]> {
    if (!ids.length) return [];
    const q = this.q(tx);
    const reads: (() => Promise<unknown>)[] = [
      () => q.query(`SELECT ${UNIT_COLUMNS} FROM fabrication.fab_units u WHERE u.id = ANY($1::uuid[])`, [ids]),
      () => q.query(`SELECT ${MACHINE_COLUMNS} FROM fabrication.machines m WHERE m.fab_unit_id = ANY($1::uuid[]) ORDER BY m.position`, [ids]),
      () => q.query(`SELECT ${STOCK_COLUMNS} FROM fabrication.material_stock s WHERE s.fab_unit_id = ANY($1::uuid[]) ORDER BY s.position`, [ids]),
      () =>
        q.query(
          `SELECT fab_unit_id AS "fabUnitId", account_id AS "accountId" FROM fabrication.fab_unit_operators
         WHERE fab_unit_id = ANY($1::uuid[]) ORDER BY added_at, account_id`,
          [ids],
        ),
    ];
    // Outside a transaction the four reads run on four pooled connections at once; inside one
    // they share its single connection, where pg only queues concurrent queries (deprecated,
    // an error in pg 9), so they run one after the other.
    const results: unknown[] = [];
    if (tx) for (const read of reads) results.push(await read());
    else results.push(...(await Promise.all(reads.map((read) => read()))));
    const [units, machines, stock, operators] = results as [UnitRecord[], MachineRecord[], StockRecord[], { fabUnitId: string; accountId: string }[]];
    const byUnit = new Map<string, UnitBundle>();
    for (const unit of units) byUnit.set(unit.id, { unit, machines: [], stock: [], operators: [] });
    for (const m of machines) byUnit.get(m.fabUnitId)?.machines.push(m);
    for (const s of stock) byUnit.get(s.fabUnitId)?.stock.push(s);
    for (const o of operators) byUnit.get(o.fabUnitId)?.operators.push(o.accountId);
    return ids.map((id) => byUnit.get(id)).filter((b): b is UnitBundle => !!b);
  }

  async idsByDedupeKey(keys: readonly string[], tx?: Tx): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < keys.length; i += 10_000) {
      const rows: { id: string; key: string }[] = await this.q(tx).query(
        `SELECT id, dedupe_key AS key FROM fabrication.fab_units WHERE dedupe_key = ANY($1::text[])`,
        [keys.slice(i, i + 10_000)],
      );
      for (const r of rows) out.set(r.key, r.id);
    }
    return out;
  }

  async insert(units: readonly UnitWrite[], machines: readonly MachineWrite[], stock: readonly StockWrite[], tx: Tx): Promise<void> {
    const q = this.q(tx);
    for (let i = 0; i < units.length; i += CHUNK) {
      await q.query(
        `INSERT INTO fabrication.fab_units (id, name, kind, status, access_type, lat, lon, address, city, region, country,
           postcode, url, contact, timezone, description, opening_hours, closures, source_system, source_id, dedupe_key, created_by)
         SELECT id, name, kind, status, "accessType", lat, lon, address, city, region, country, postcode, url,
           coalesce(contact, '{}'), timezone, description, "openingHours", coalesce(closures, '[]'), "sourceSystem", "sourceId",
           "dedupeKey", "createdBy"
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, name text, kind text, status text, "accessType" text,
           lat float8, lon float8, address text, city text, region text, country text, postcode text, url text,
           contact jsonb, timezone text, description text, "openingHours" jsonb, closures jsonb, "sourceSystem" text,
           "sourceId" text, "dedupeKey" text, "createdBy" uuid)`,
        [JSON.stringify(units.slice(i, i + CHUNK))],
      );
    }
    for (let i = 0; i < machines.length; i += CHUNK) {
      await q.query(
        `INSERT INTO fabrication.machines (id, fab_unit_id, position, process, make, model, envelope_x_mm, envelope_y_mm,
           envelope_z_mm, materials, status, opening_hours, okw_group, okw_quantity)
         SELECT id, "fabUnitId", position, process, make, model, "envelopeXMm", "envelopeYMm", "envelopeZMm",
           coalesce(materials, '{}'), status, "openingHours", "okwGroup", "okwQuantity"
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, "fabUnitId" uuid, position int, process text, make text,
           model text, "envelopeXMm" float8, "envelopeYMm" float8, "envelopeZMm" float8, materials text[], status text,
           "openingHours" jsonb, "okwGroup" int, "okwQuantity" int)`,
        [JSON.stringify(machines.slice(i, i + CHUNK))],
      );
    }
    for (let i = 0; i < stock.length; i += CHUNK) {
      await q.query(
        `INSERT INTO fabrication.material_stock (fab_unit_id, material, position, quantity, unit)
         SELECT "fabUnitId", material, position, quantity, unit
         FROM jsonb_to_recordset($1::jsonb) AS x("fabUnitId" uuid, material text, position int, quantity numeric, unit text)`,
        [JSON.stringify(stock.slice(i, i + CHUNK))],
      );
    }
  }

  async updateUnit(id: string, patch: UnitPatch, tx: Tx): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [key, value] of Object.entries(patch) as [keyof UnitPatch, unknown][]) {
      if (value === undefined) continue;
      const column = UNIT_FIELDS[key];
      if (!column) continue;
      params.push(JSON_FIELDS.has(key) && value !== null ? JSON.stringify(value) : value);
      sets.push(`${column} = $${params.length}${JSON_FIELDS.has(key) ? '::jsonb' : ''}`);
    }
    // An empty patch still marks the unit changed (its machines or stock were).
    sets.push('updated_at = now()');
    await this.q(tx).query(`UPDATE fabrication.fab_units SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  async addOperator(fabUnitId: string, accountId: string, addedBy: string | null, tx?: Tx): Promise<void> {
    await this.q(tx).query(
      `INSERT INTO fabrication.fab_unit_operators (fab_unit_id, account_id, added_by) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [fabUnitId, accountId, addedBy],
    );
  }

  async removeOperator(fabUnitId: string, accountId: string, tx?: Tx): Promise<void> {
    await this.q(tx).query(`DELETE FROM fabrication.fab_unit_operators WHERE fab_unit_id = $1 AND account_id = $2`, [
      fabUnitId,
      accountId,
    ]);
  }

  async operators(fabUnitId: string, tx?: Tx): Promise<string[]> {
    const rows: { id: string }[] = await this.q(tx).query(
      `SELECT account_id AS id FROM fabrication.fab_unit_operators WHERE fab_unit_id = $1 ORDER BY added_at, account_id`,
      [fabUnitId],
    );
    return rows.map((r) => r.id);
  }

  async nextMachineSlots(fabUnitId: string, tx: Tx): Promise<{ position: number; group: number }> {
    const rows = await this.q(tx).query(
      `SELECT coalesce(max(position) + 1, 0) AS position, coalesce(max(okw_group) + 1, 0) AS "group"
       FROM fabrication.machines WHERE fab_unit_id = $1`,
      [fabUnitId],
    );
    return { position: Number(rows[0].position), group: Number(rows[0].group) };
  }

  async machine(id: string, tx?: Tx, lock = false): Promise<MachineRecord | null> {
    const rows = await this.q(tx).query(
      `SELECT ${MACHINE_COLUMNS} FROM fabrication.machines m WHERE m.id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  async updateMachine(id: string, patch: MachinePatch, tx: Tx): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [key, value] of Object.entries(patch) as [keyof MachinePatch, unknown][]) {
      if (value === undefined) continue;
      params.push(key === 'openingHours' && value !== null ? JSON.stringify(value) : value);
      sets.push(`${MACHINE_FIELDS[key]} = $${params.length}${key === 'openingHours' ? '::jsonb' : ''}`);
    }
    if (!sets.length) return;
    // Edited by hand, a machine no longer stands for an OKW entry's quantity.
    await this.q(tx).query(
      `UPDATE fabrication.machines SET ${sets.join(', ')}, okw_quantity = NULL, updated_at = now() WHERE id = $1`,
      params,
    );
  }

  async stockRow(fabUnitId: string, material: string, tx: Tx): Promise<StockRecord | null> {
    const rows = await this.q(tx).query(
      `SELECT ${STOCK_COLUMNS} FROM fabrication.material_stock s WHERE s.fab_unit_id = $1 AND s.material = $2 FOR UPDATE`,
      [fabUnitId, material],
    );
    return rows[0] ?? null;
  }

  async putStock(fabUnitId: string, material: string, quantity: number, unit: string, held: number | null, tx: Tx): Promise<void> {
    await this.q(tx).query(
      `INSERT INTO fabrication.material_stock (fab_unit_id, material, position, quantity, unit)
       VALUES ($1, $2, (SELECT coalesce(max(position) + 1, 0) FROM fabrication.material_stock WHERE fab_unit_id = $1), $3, $4)
       ON CONFLICT (fab_unit_id, material) DO UPDATE
         SET quantity = EXCLUDED.quantity, unit = EXCLUDED.unit,
             held = coalesce($5::numeric, fabrication.material_stock.held), updated_at = now()`,
      [fabUnitId, material, quantity, unit, held],
    );
    await this.q(tx).query(`UPDATE fabrication.fab_units SET updated_at = now() WHERE id = $1`, [fabUnitId]);
  }

  async putHours(id: string, timezone: string | null, hours: WeeklySchedule | null, closures: Closure[], tx?: Tx): Promise<void> {
    await this.q(tx).query(
      `UPDATE fabrication.fab_units SET timezone = $2, opening_hours = $3::jsonb, closures = $4::jsonb, updated_at = now() WHERE id = $1`,
      [id, timezone, hours ? JSON.stringify(hours) : null, JSON.stringify(closures)],
    );
  }

  async list(filter: ListFilter): Promise<ListRow[]> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    let distance = 'NULL::float8';
    if (filter.near) {
      const { lat, lon, radiusKm } = filter.near;
      const boxes = boundingBoxes(lat, lon, radiusKm);
      where.push(
        `(${boxes.map((b) => `u.location <@ box(point(${p(b.lonMin)}, ${p(b.latMin)}), point(${p(b.lonMax)}, ${p(b.latMax)}))`).join(' OR ')})`,
      );
      distance = haversineSql(p(lat), p(lon));
    }
    if (filter.country) where.push(`u.country = ${p(filter.country)}`);
    if (filter.status) where.push(`u.status = ${p(filter.status)}`);
    if (filter.locatable !== undefined) where.push(`u.locatable = ${p(filter.locatable)}`);
    if (filter.processes) {
      where.push(`EXISTS (SELECT 1 FROM fabrication.machines m WHERE m.fab_unit_id = u.id AND m.process = ANY(${p(filter.processes)}::text[]))`);
    }
    const outer: string[] = [];
    let order: string;
    if (filter.near) {
      outer.push(`"distanceKm" <= ${p(filter.near.radiusKm)}`);
      if (filter.after && 'distance' in filter.after) {
        outer.push(`("distanceKm", id) > (${p(filter.after.distance)}::float8, ${p(filter.after.id)}::uuid)`);
      }
      order = `"distanceKm", id`;
    } else {
      if (filter.after && 'name' in filter.after) where.push(`(u.name, u.id) > (${p(filter.after.name)}::text, ${p(filter.after.id)}::uuid)`);
      order = `name, id`;
    }
    const sql = `
      SELECT * FROM (
        SELECT u.id, u.name, u.kind, u.status, u.lat, u.lon, u.address, u.city, u.region, u.country, u.postcode, u.url,
          u.timezone, ${distance} AS "distanceKm",
          ARRAY(SELECT DISTINCT m.process FROM fabrication.machines m WHERE m.fab_unit_id = u.id ORDER BY 1) AS processes
        FROM fabrication.fab_units u
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ) t
      ${outer.length ? `WHERE ${outer.join(' AND ')}` : ''}
      ORDER BY ${order}
      LIMIT ${p(filter.limit)}`;
    return this.ds.query(sql, params);
  }

  async summaries(ids: readonly string[]): Promise<FabUnitSummary[]> {
    if (!ids.length) return [];
    const rows: (FabUnitSummary & { country: string | null; lat: number | null; lon: number | null; timezone: string | null })[] =
      await this.ds.query(
        `SELECT id, name, status, country, lat, lon, timezone FROM fabrication.fab_units WHERE id = ANY($1::uuid[]) ORDER BY id`,
        [ids],
      );
    return rows.map((r) => {
      const out: FabUnitSummary = { id: r.id, name: r.name, status: r.status };
      if (r.country !== null) out.country = r.country;
      if (r.lat !== null && r.lon !== null) {
        out.lat = r.lat;
        out.lon = r.lon;
      }
      if (r.timezone !== null) out.timezone = r.timezone;
      return out;
    });
  }

  async setCouncil(fabUnitId: string, councilId: string, member: boolean): Promise<string[] | null> {
    const rows = updatedRows<{ councilIds: string[] }>(await this.ds.query(
      member
        ? `UPDATE fabrication.fab_units SET council_ids = CASE WHEN $2::uuid = ANY(council_ids) THEN council_ids
             ELSE array_append(council_ids, $2::uuid) END WHERE id = $1 RETURNING council_ids AS "councilIds"`
        : `UPDATE fabrication.fab_units SET council_ids = array_remove(council_ids, $2::uuid) WHERE id = $1
             RETURNING council_ids AS "councilIds"`,
      [fabUnitId, councilId],
    ));
    return rows[0]?.councilIds ?? null;
  }
}
