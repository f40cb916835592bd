/**
 * What the matching engine is given. The service builds it from the database, which has
 * already narrowed the units by distance and process; the engine is pure and sees only this.
 */
import type { ManufacturingStep } from '#libs/contracts/src/commons/design-version.js';
import type { BuildEnvelopeMm } from '#libs/contracts/src/commons/design-version.js';
import type { FabUnitStatus, GeoPoint, MachineStatus } from '#libs/contracts/src/fabrication/fab-unit.js';
import type { Closure, Interval } from '#libs/contracts/src/fabrication/schedule.js';

/** One schedulable machine (a unit's OKW `quantity: 5` printers are five of these). */
export interface MatchMachine {
  id: string;
  /** Canonical process id. */
  process: string;
  make?: string;
  model?: string;
  /** Unknown envelope never satisfies a required envelope. */
  envelopeMm?: BuildEnvelopeMm;
  /** Canonical material ids; empty = unknown, which works no material. */
  materials: readonly string[];
  status: MachineStatus;
  /**
   * When the machine can take new work between now and needBy: opening hours minus closures
   * minus reservations, sorted and disjoint (as schedule/free-time returns them).
   */
  freeIntervals: readonly Interval[];
}

export interface MatchStock {
  material: string;
  quantity: number;
  /** Canonical unit id. */
  unit: string;
}

export interface MatchUnit {
  id: string;
  name: string;
  status: FabUnitStatus;
  /** Null or partial when the unit has no coordinates. */
  location: { lat?: number | null; lon?: number | null } | null;
  /** IANA zone: closure dates in explanations are the unit's local dates. */
  timezone: string;
  closures: readonly Closure[];
  /** Successful builds of the requested design version here. */
  successfulBuilds: number;
  /** Unreserved stock. */
  stock: readonly MatchStock[];
  machines: readonly MatchMachine[];
}

export interface MatchOptions {
  /** Explain the excluded units among this many nearest units. Default 20. */
  explainNearest?: number;
  /** Keep at most this many candidates (all by default). */
  maxCandidates?: number;
  /** Split plans draw from this many nearest units able to do at least one step. Default 8. */
  splitPoolSize?: number;
  /** Units one split plan may involve. Default 3. */
  maxSplitUnits?: number;
  /** Split plans returned. Default 5. */
  maxSplitPlans?: number;
}

export interface MatchInput {
  /** Done in the listed order, each step after the previous completes. */
  requirements: readonly ManufacturingStep[];
  /** Units of the design to make (a positive whole number). */
  quantity: number;
  /** Where the requester wants it. */
  location: GeoPoint;
  needBy: Date;
  now: Date;
  maxDistanceKm: number;
  units: readonly MatchUnit[];
  options?: MatchOptions;
}

/** What is wrong with an input, in words fit for a 400 answer; empty when it is fine. */
export function validateMatchInput(input: MatchInput): string[] {
  const problems: string[] = [];
  if (!input.requirements.length) problems.push('the design version has no manufacturing requirements');
  input.requirements.forEach((r, i) => {
    if (!(r.machineMinutesPerUnit >= 0) || !Number.isFinite(r.machineMinutesPerUnit)) {
      problems.push(`step ${i + 1} (${r.process}): machineMinutesPerUnit must be a number ≥ 0`);
    }
    if (!(r.materialQuantityPerUnit >= 0) || !Number.isFinite(r.materialQuantityPerUnit)) {
      problems.push(`step ${i + 1} (${r.process}): materialQuantityPerUnit must be a number ≥ 0`);
    }
  });
  if (!(Number.isInteger(input.quantity) && input.quantity >= 1)) problems.push('quantity must be a whole number ≥ 1');
  const { lat, lon } = input.location ?? {};
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) problems.push('location must have lat in [-90, 90] and lon in [-180, 180]');
  if (!(input.maxDistanceKm >= 0)) problems.push('maxDistanceKm must be a number ≥ 0');
  if (Number.isNaN(input.now.getTime()) || Number.isNaN(input.needBy.getTime())) problems.push('now and needBy must be valid dates');
  else if (input.needBy.getTime() <= input.now.getTime()) problems.push('needBy must be after now');
  return problems;
}
