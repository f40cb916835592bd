import type { PlacedReservation } from '#libs/contracts/src/fabrication/messages.js';
import type { ReservationView } from '#libs/contracts/src/fabrication/views.js';
import type { Closure, Interval, WeeklySchedule } from '#libs/contracts/src/fabrication/schedule.js';
import type { MachineRecord, StockRecord } from '../fab-units/fab-unit-records.js';
import type { Tx } from '../fab-units/fab-units.repository.js';
import type { StockChange } from './usecases/settle-reservation/stock-settlement.js';

export interface UnitCalendarRow {
  id: string;
  name: string;
  status: string;
  timezone: string | null;
  openingHours: WeeklySchedule | null;
  closures: Closure[];
}

export interface ReservedRow extends Interval {
  machineId: string;
}

export interface NewReservation {
  machineId: string;
  fabUnitId: string;
  key: string | null;
  kind: 'job' | 'manual';
  start: Date;
  end: Date;
  note?: string | null;
  createdBy?: string | null;
}

export interface HoldRow {
  id: string;
  key: string;
  fabUnitId: string;
  material: string;
  quantity: number;
  unit: string;
}

export interface PlacementRow {
  key: string;
  fabUnitId: string;
  designVersionId: string | null;
  result: PlacedReservation | null;
}

export interface ReservationsRepository {
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;

  /** False when the key is placed already (waits for a concurrent placement of it to end). */
  insertPlacement(key: string, fabUnitId: string, designVersionId: string | null, request: unknown, tx: Tx): Promise<boolean>;
  placement(key: string, tx?: Tx): Promise<PlacementRow | null>;
  finishPlacement(key: string, machineId: string | null, completion: Date, result: PlacedReservation, tx: Tx): Promise<void>;

  unitCalendar(fabUnitId: string, tx?: Tx): Promise<UnitCalendarRow | null>;
  /** The unit's machines (or the one named), locked in id order so placements queue per machine. */
  lockMachines(fabUnitId: string, machineId: string | undefined, tx: Tx): Promise<MachineRecord[]>;
  machineOfUnit(fabUnitId: string, machineId: string, tx?: Tx): Promise<MachineRecord | null>;
  lockStock(fabUnitId: string, material: string, tx: Tx): Promise<StockRecord | null>;
  /** held += quantity when that leaves held ≤ quantity on hand; false otherwise. */
  hold(fabUnitId: string, material: string, quantity: number, tx: Tx): Promise<boolean>;
  /** Active reservations of these machines overlapping [from, to). */
  reserved(machineIds: readonly string[], from: Date, to: Date, tx?: Tx): Promise<ReservedRow[]>;
  /** 23P01 when one overlaps an active reservation of its machine. */
  insertReservations(rows: readonly NewReservation[], tx?: Tx): Promise<string[]>;
  insertHold(key: string, fabUnitId: string, material: string, quantity: number, unit: string, tx: Tx): Promise<string>;

  reservation(fabUnitId: string, id: string, tx?: Tx): Promise<ReservationView | null>;
  list(fabUnitId: string, from: Date, to: Date): Promise<ReservationView[]>;
  overlapping(machineId: string, start: Date, end: Date): Promise<ReservationView[]>;
  releaseManual(id: string, at: Date, tx: Tx): Promise<void>;

  /**
   * Records the outcome of each key that has none yet, and answers those keys: the others had
   * one recorded before (their messages are repeats).
   */
  recordOutcomes(keys: readonly string[], outcome: 'consume' | 'release', at: Date, tx: Tx): Promise<string[]>;
  outcomeOf(key: string, tx?: Tx): Promise<'consume' | 'release' | null>;
  /** The placements of these keys (unknown keys are left out), locked in key order. */
  lockPlacements(keys: readonly string[], tx: Tx): Promise<Omit<PlacementRow, 'result'>[]>;
  /** The holds of these keys not ended yet, locked. */
  activeHolds(keys: readonly string[], tx: Tx): Promise<HoldRow[]>;
  /** The stock rows of these (unit, material) pairs, locked in (unit, material) order whatever the order given. */
  lockStocks(items: readonly { fabUnitId: string; material: string }[], tx: Tx): Promise<StockRecord[]>;
  endHolds(ids: readonly string[], outcome: 'consume' | 'release', at: Date, tx: Tx): Promise<void>;
  /** quantity −= consumed, held −= consumed + released (in the stock's unit), summed per stock row. */
  adjustStocks(changes: readonly StockChange[], tx: Tx): Promise<void>;
  /** Frees the jobs' reserved time from `at` on (cuts a reservation running at `at`); marks the rest consumed when asked. */
  endReservations(keys: readonly string[], at: Date, consumed: boolean, tx: Tx): Promise<void>;
  recordBuilds(builds: readonly { key: string; fabUnitId: string; designVersionId: string }[], at: Date, tx: Tx): Promise<void>;
}

export const RESERVATIONS_REPOSITORY = Symbol('RESERVATIONS_REPOSITORY');
