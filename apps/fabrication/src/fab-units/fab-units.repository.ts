import type { FabUnitStatus } from '#libs/contracts/src/fabrication/fab-unit.js';
import type { FabUnitSummary } from '#libs/contracts/src/fabrication/messages.js';
import type { Closure, WeeklySchedule } from '#libs/contracts/src/fabrication/schedule.js';
import type { MachineRecord, MachineWrite, StockRecord, StockWrite, UnitRecord, UnitWrite } from './fab-unit-records.js';

/** An open transaction; only the repository knows what is inside. */
export type Tx = { readonly __tx: unique symbol };

export interface UnitBundle {
  unit: UnitRecord;
  machines: MachineRecord[];
  stock: StockRecord[];
  operators: string[];
}

export interface ListFilter {
  near?: { lat: number; lon: number; radiusKm: number };
  country?: string;
  /** Machine processes that count (the asked one and its sub-processes). */
  processes?: string[];
  status?: FabUnitStatus;
  locatable?: boolean;
  after?: { distance: number; id: string } | { name: string; id: string };
  limit: number;
}

export interface ListRow {
  id: string;
  name: string;
  kind: UnitRecord['kind'];
  status: FabUnitStatus;
  lat: number | null;
  lon: number | null;
  address: string | null;
  city: string | null;
  region: string | null;
  country: string | null;
  postcode: string | null;
  url: string | null;
  timezone: string | null;
  processes: string[];
  distanceKm: number | null;
}

export type UnitPatch = Partial<Omit<UnitWrite, 'id' | 'createdBy' | 'sourceSystem' | 'sourceId'>>;

export type MachinePatch = Partial<Omit<MachineRecord, 'id' | 'fabUnitId' | 'position' | 'okwGroup' | 'okwQuantity'>>;

export interface FabUnitsRepository {
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Imports run one at a time (a transaction-scoped advisory lock). */
  lockImports(tx: Tx): Promise<void>;

  exists(id: string, tx?: Tx): Promise<boolean>;
  isOperator(fabUnitId: string, accountId: string, tx?: Tx): Promise<boolean>;
  unitOfMachine(machineId: string, tx?: Tx): Promise<string | null>;
  /** Locks the unit row for the rest of the transaction; null when it does not exist. */
  lock(id: string, tx: Tx): Promise<UnitRecord | null>;

  bundles(ids: readonly string[], tx?: Tx): Promise<UnitBundle[]>;
  idsByDedupeKey(keys: readonly string[], tx?: Tx): Promise<Map<string, string>>;

  /** Bulk inserts (an import, a create): one statement per table. 23505 on a taken dedupe key. */
  insert(units: readonly UnitWrite[], machines: readonly MachineWrite[], stock: readonly StockWrite[], tx: Tx): Promise<void>;
  updateUnit(id: string, patch: UnitPatch, tx: Tx): Promise<void>;
  addOperator(fabUnitId: string, accountId: string, addedBy: string | null, tx?: Tx): Promise<void>;
  removeOperator(fabUnitId: string, accountId: string, tx?: Tx): Promise<void>;
  operators(fabUnitId: string, tx?: Tx): Promise<string[]>;

  nextMachineSlots(fabUnitId: string, tx: Tx): Promise<{ position: number; group: number }>;
  machine(id: string, tx?: Tx, lock?: boolean): Promise<MachineRecord | null>;
  updateMachine(id: string, patch: MachinePatch, tx: Tx): Promise<void>;

  stockRow(fabUnitId: string, material: string, tx: Tx): Promise<StockRecord | null>;
  /** Insert or replace quantity and unit (and rescale held); 23514 when below what is held. */
  putStock(fabUnitId: string, material: string, quantity: number, unit: string, held: number | null, tx: Tx): Promise<void>;

  putHours(id: string, timezone: string | null, hours: WeeklySchedule | null, closures: Closure[], tx?: Tx): Promise<void>;

  list(filter: ListFilter): Promise<ListRow[]>;
  summaries(ids: readonly string[]): Promise<FabUnitSummary[]>;
  setCouncil(fabUnitId: string, councilId: string, member: boolean): Promise<string[] | null>;
}

export const FAB_UNITS_REPOSITORY = Symbol('FAB_UNITS_REPOSITORY');
