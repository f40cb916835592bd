import type { MachineStatus } from '#libs/contracts/src/fabrication/fab-unit.js';
import type { WeeklySchedule } from '#libs/contracts/src/fabrication/schedule.js';
import type { ReservedRow, UnitCalendarRow } from '../reservations/reservations.repository.js';

export interface CapacityMachineRow {
  id: string;
  fabUnitId: string;
  process: string;
  status: MachineStatus;
  openingHours: WeeklySchedule | null;
}

export interface FreeStockRow {
  fabUnitId: string;
  material: string;
  free: number;
  unit: string;
}

export interface CapacityRepository {
  calendars(fabUnitIds: readonly string[]): Promise<UnitCalendarRow[]>;
  machines(fabUnitIds: readonly string[]): Promise<CapacityMachineRow[]>;
  reserved(fabUnitIds: readonly string[], from: Date, to: Date): Promise<ReservedRow[]>;
  freeStock(fabUnitIds: readonly string[]): Promise<FreeStockRow[]>;
}

export const CAPACITY_REPOSITORY = Symbol('CAPACITY_REPOSITORY');
