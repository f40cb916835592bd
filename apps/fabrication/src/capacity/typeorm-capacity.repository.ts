import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ReservedRow, UnitCalendarRow } from '../reservations/reservations.repository.js';
import type { CapacityMachineRow, CapacityRepository, FreeStockRow } from './capacity.repository.js';

@Injectable()
export class TypeormCapacityRepository implements CapacityRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  calendars(ids: readonly string[]): Promise<UnitCalendarRow[]> {
    return this.ds.query(
      `SELECT id, name, status, timezone, opening_hours AS "openingHours", closures FROM fabrication.fab_units
       WHERE id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    );
  }

  machines(ids: readonly string[]): Promise<CapacityMachineRow[]> {
    return this.ds.query(
      `SELECT id, fab_unit_id AS "fabUnitId", process, status, opening_hours AS "openingHours" FROM fabrication.machines
       WHERE fab_unit_id = ANY($1::uuid[]) ORDER BY fab_unit_id, position`,
      [ids],
    );
  }

  reserved(ids: readonly string[], from: Date, to: Date): Promise<ReservedRow[]> {
    return this.ds.query(
      `SELECT machine_id AS "machineId", lower(during) AS start, upper(during) AS "end" FROM fabrication.reservations
       WHERE fab_unit_id = ANY($1::uuid[]) AND released_at IS NULL AND upper(during) > $2 AND lower(during) < $3
       ORDER BY machine_id, lower(during)`,
      [ids, from, to],
    );
  }

  freeStock(ids: readonly string[]): Promise<FreeStockRow[]> {
    return this.ds.query(
      `SELECT fab_unit_id AS "fabUnitId", material, (quantity - held)::float8 AS free, unit FROM fabrication.material_stock
       WHERE fab_unit_id = ANY($1::uuid[]) AND quantity IS NOT NULL ORDER BY fab_unit_id, position`,
      [ids],
    );
  }
}
