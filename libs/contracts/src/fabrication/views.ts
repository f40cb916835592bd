/**
 * What fabrication answers the gateway. Plain data, times as ISO 8601 UTC strings.
 */
import type { BuildEnvelopeMm } from '../commons/design-version.js';
import type {
  AccessType,
  FabUnitContact,
  FabUnitKind,
  FabUnitLocation,
  FabUnitSource,
  FabUnitStatus,
  MachineStatus,
} from './fab-unit.js';
import type { PooledCapacity } from './messages.js';
import type { Closure, WeeklySchedule } from './schedule.js';

export interface MachineView {
  id: string;
  fabUnitId: string;
  process: string;
  make?: string;
  model?: string;
  envelopeMm?: BuildEnvelopeMm;
  materials: string[];
  status: MachineStatus;
  /** The machine's own weekly hours; null = the unit's. */
  openingHours: WeeklySchedule | null;
}

export interface MaterialStockView {
  material: string;
  /** Null when the unit only says it typically uses the material (OKW without quantity). */
  quantity: number | null;
  unit: string | null;
  /** Held by reservations of jobs not yet ended. */
  held: number;
  /** quantity − held; null when quantity is. */
  free: number | null;
}

export interface FabUnitView {
  id: string;
  name: string;
  kind: FabUnitKind;
  status: FabUnitStatus;
  accessType?: AccessType;
  location: FabUnitLocation;
  /** False: no coordinates; kept, listed, never matched by distance. */
  locatable: boolean;
  url?: string;
  contact: FabUnitContact;
  /** IANA zone the opening hours are in; null = not stated (read as UTC). */
  timezone: string | null;
  description?: string;
  /** Null: no hours declared, which means no machine time is offered. */
  openingHours: WeeklySchedule | null;
  closures: Closure[];
  machines: MachineView[];
  materials: MaterialStockView[];
  /** Account ids of the people who operate the unit. */
  operators: string[];
  /** Councils the unit pools its capacity into (kept by the council capability). */
  councils: string[];
  source: FabUnitSource;
  createdAt: string;
  updatedAt: string;
}

export interface FabUnitListItem {
  id: string;
  name: string;
  kind: FabUnitKind;
  status: FabUnitStatus;
  location: FabUnitLocation;
  locatable: boolean;
  url?: string;
  timezone: string | null;
  /** Distinct processes of its machines. */
  processes: string[];
  /** Great-circle distance from `near`, when the query had one. */
  distanceKm?: number;
}

export interface FabUnitPage {
  items: FabUnitListItem[];
  /** Opaque; pass it back as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
}

export interface OkwImportSummary {
  /** Records found in the body. */
  records: number;
  /** Units inserted. */
  created: number;
  /** Records folded into another record of the same name and url in the body. */
  merged: number;
  /** Units that already existed (same name and url) and gained information from the import. */
  updated: number;
  /** Units that already existed and that the import did not change. */
  unchanged: number;
  /** Records that could not become a unit (no name). */
  skipped: number;
  /** Units of the body without usable coordinates: kept, flagged not locatable. */
  flaggedNotLocatable: number;
  warnings: string[];
  /** Ids of the units created or updated, for bodies of at most 100 units. */
  ids?: string[];
}

export interface OkwExport {
  /** OKW v1 as YAML. */
  yaml: string;
  fileName: string;
}

export interface OperatorsView {
  fabUnitId: string;
  operators: string[];
}

export interface OpeningHoursView {
  fabUnitId: string;
  timezone: string | null;
  openingHours: WeeklySchedule | null;
  closures: Closure[];
}

export interface ReservationView {
  id: string;
  fabUnitId: string;
  machineId: string;
  /** The production job id for job reservations; null for manual ones. */
  key: string | null;
  kind: 'job' | 'manual';
  start: string;
  end: string;
  note?: string;
  createdBy: string | null;
  consumedAt: string | null;
  releasedAt: string | null;
}

export interface MachineCapacity {
  machineId: string;
  process: string;
  freeMinutes: number;
}

export interface CapacityView extends PooledCapacity {
  machines: MachineCapacity[];
}
