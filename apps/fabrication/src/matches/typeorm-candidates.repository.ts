import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { CandidateQuery, CandidatesRepository, CandidateState, UnitSnapshot } from './candidates.repository.js';

/** A unit's version: its updated_at in microseconds, as text (exact, comparable for equality). */
const VERSION = `(extract(epoch FROM u.updated_at) * 1000000)::int8::text`;

/** The unit set and what moves per unit: see the migration that creates fabrication.match_state. */
const STATE = `SELECT kind, fab_unit, machine, txt, txt2, num1, num2
  FROM fabrication.match_state($1::box, $2::box, $3::uuid[], point($4, $5), $6::int, $7::text[], $8::timestamptz, $9::timestamptz, $10::text)`;

interface StateRow {
  kind: 0 | 1 | 2 | 3;
  fab_unit: string;
  machine: string | null;
  txt: string | null;
  txt2: string | null;
  num1: number | null;
  num2: number | null;
}

type MachineTuple = [string, string, string | null, string | null, number | null, number | null, number | null, string[], string, string | null];

@Injectable()
export class TypeormCandidatesRepository implements CandidatesRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private get pool(): pg.Pool {
    return (this.ds.driver as PostgresDriver).master as pg.Pool;
  }

  async state(q: CandidateQuery): Promise<CandidateState> {
    const box = (b: { lonMin: number; latMin: number; lonMax: number; latMax: number }) => `(${b.lonMin},${b.latMin}),(${b.lonMax},${b.latMax})`;
    let values: unknown[];
    if ('ids' in q.where) values = [null, null, q.where.ids];
    else {
      const [a, b = a] = q.where.boxes;
      values = [box(a!), box(b!), null];
    }
    values.push(q.lon, q.lat, q.nearest, q.materials, q.from, q.to, q.designVersionId);
    const { rows } = await this.pool.query<StateRow>({ name: 'fabrication.match-state', text: STATE, values });
    const out: CandidateState = { units: [], stock: [], reserved: [], builds: new Map() };
    for (const r of rows) {
      if (r.kind === 0) out.units.push({ id: r.fab_unit, version: r.txt! });
      else if (r.kind === 1) out.stock.push({ fabUnitId: r.fab_unit, material: r.txt!, unit: r.txt2!, free: r.num1! });
      else if (r.kind === 2) out.reserved.push({ fabUnitId: r.fab_unit, machineId: r.machine!, start: new Date(r.num1!), end: new Date(r.num2!) });
      else out.builds.set(r.fab_unit, r.num1!);
    }
    return out;
  }

  async snapshots(ids: readonly string[]): Promise<UnitSnapshot[]> {
    if (!ids.length) return [];
    const rows: (Omit<UnitSnapshot, 'machines'> & { machines: MachineTuple[] })[] = await this.ds.query(
      `SELECT u.id, ${VERSION} AS version, u.name, u.status, u.lat, u.lon, u.timezone, u.opening_hours::text AS hours,
         u.closures::text AS closures,
         (SELECT coalesce(json_agg(json_build_array(m.id, m.process, m.make, m.model, m.envelope_x_mm, m.envelope_y_mm,
                   m.envelope_z_mm, m.materials, m.status, m.opening_hours::text) ORDER BY m.position), '[]')
            FROM fabrication.machines m WHERE m.fab_unit_id = u.id) AS machines
       FROM fabrication.fab_units u WHERE u.id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map((r) => ({
      ...r,
      machines: r.machines.map(([id, process, make, model, x, y, z, materials, status, hours]) => ({
        id,
        process,
        make,
        model,
        envelope: x !== null && y !== null && z !== null ? { x, y, z } : null,
        materials,
        status: status as UnitSnapshot['machines'][number]['status'],
        hours,
      })),
    }));
  }
}
