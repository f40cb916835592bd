import type { FabUnitStatus, MachineStatus } from '#libs/contracts/src/fabrication/fab-unit.js';
import type { LatLonBox } from '../fab-units/geo-sql.js';

/**
 * What a unit is, as matching needs it, that changes only when an operator edits the unit or
 * its machines (each edit moves `version`, the unit's updated_at): cached between matches.
 * Calendars are kept as the JSON text PostgreSQL stores, the availability cache's key.
 */
export interface UnitSnapshot {
  id: string;
  version: string;
  name: string;
  status: FabUnitStatus;
  lat: number | null;
  lon: number | null;
  timezone: string | null;
  hours: string | null;
  closures: string;
  machines: SnapshotMachine[];
}

export interface SnapshotMachine {
  id: string;
  process: string;
  make: string | null;
  model: string | null;
  envelope: { x: number; y: number; z: number } | null;
  materials: string[];
  status: MachineStatus;
  hours: string | null;
}

/** What moves with every placement and every job's end: read fresh for each match. */
export interface CandidateState {
  /** The units to consider, with their current version; stock, reservations and builds only for those in range or given. */
  units: { id: string; version: string }[];
  /** Free stock (on hand minus holds) of the materials asked for. */
  stock: { fabUnitId: string; material: string; free: number; unit: string }[];
  /** Active reservations overlapping the period asked for. */
  reserved: { fabUnitId: string; machineId: string; start: Date; end: Date }[];
  /** Successful builds of the design version, per unit. */
  builds: Map<string, number>;
}

export interface CandidateQuery {
  /** Active units within these boxes (plus the nearest), or every unit among these ids. */
  where: { boxes: LatLonBox[] } | { ids: readonly string[] };
  /** Plus the `nearest` units nearest (lat, lon) whatever their state: those the answer explains. */
  lat: number;
  lon: number;
  nearest: number;
  materials: readonly string[];
  from: Date;
  to: Date;
  designVersionId: string;
}

export interface CandidatesRepository {
  state(query: CandidateQuery): Promise<CandidateState>;
  snapshots(ids: readonly string[]): Promise<UnitSnapshot[]>;
}

export const CANDIDATES_REPOSITORY = Symbol('CANDIDATES_REPOSITORY');
