/**
 * The answer of `GET /matches`: who can make quantity × design version near a place by a
 * date, why every other nearby unit cannot, and how to split the work when nobody can alone.
 * All times are ISO 8601 UTC strings so the result travels unchanged over HTTP and the Nest
 * transport.
 */
import type { GeoPoint } from './fab-unit.js';
import type { TimeSlot } from './schedule.js';

export interface MaterialQuantity {
  quantity: number;
  /** Canonical unit id from libs/taxonomy (`g`, `m2`, `pcs`, …). */
  unit: string;
}

/**
 * What a request consumes, in the currencies councils budget in.
 * - `machineMinutes`: whole minutes per canonical process id, each step rounded up before
 *   summing (a machine is booked in whole minutes).
 * - `materials`: per canonical material id, in the unit the design version states for it
 *   (later steps using the same material are converted to the first step's unit).
 *
 * Keys: `MatchResult.demand` uses the design's required process (independent of who makes
 * it); a candidate's or split plan's `cost` uses the process of the machine chosen, which is
 * the capacity actually consumed (a `3d-printing` step run on an FDM printer costs
 * `3d-printing.fdm` minutes).
 */
export interface CostVector {
  machineMinutes: Record<string, number>;
  materials: Record<string, MaterialQuantity>;
}

/** The hard rules, in the order they are checked; an exclusion names the first that failed. */
export const EXCLUSION_RULES = [
  'status',
  'distance',
  'process',
  'envelope',
  'material',
  'stock',
  'time',
] as const;
export type ExclusionRule = (typeof EXCLUSION_RULES)[number];

/** One manufacturing step placed on one machine. */
export interface StepAssignment {
  /** Index into the design version's `requirements`. */
  stepIndex: number;
  /** The process the design requires. */
  process: string;
  material: string;
  machineId: string;
  /** The machine's own process: the required one or a sub-process of it. */
  machineProcess: string;
  make?: string;
  model?: string;
  /** Whole minutes of machine time for the whole quantity. */
  minutes: number;
  /** The open, unreserved periods the job runs in; it pauses when the unit closes. */
  slots: TimeSlot[];
  start: string;
  completion: string;
}

export interface MatchCandidate {
  split: false;
  unitId: string;
  unitName: string;
  distanceKm: number;
  /** When the last step completes. */
  completion: string;
  /** Successful builds of this design version at this unit (a tie-break, more first). */
  successfulBuilds: number;
  /** In the design's step order; each starts after the previous one completes. */
  steps: StepAssignment[];
  cost: CostVector;
}

export interface MatchExclusion {
  unitId: string;
  unitName: string;
  /** Null when the unit has no coordinates. */
  distanceKm: number | null;
  rule: ExclusionRule;
  /** The step that failed, for the per-step rules. */
  stepIndex?: number;
  /** For an engineer, with the numbers: `PLA stock 200 g < 1,200 g needed`. */
  reason: string;
}

/** The steps of a split plan done at one unit. */
export interface SplitPart {
  unitId: string;
  unitName: string;
  distanceKm: number;
  steps: StepAssignment[];
}

export interface SplitPlan {
  split: true;
  /** Ordered by the first step each unit does. */
  parts: SplitPart[];
  completion: string;
  /** Sum of the distances of the units involved. */
  totalDistanceKm: number;
  cost: CostVector;
}

export interface MatchResult {
  quantity: number;
  needBy: string;
  location: GeoPoint;
  maxDistanceKm: number;
  /** The request's own cost, keyed by required process. */
  demand: CostVector;
  /** Ranked: earliest completion, then distance, then successful builds, then unit id. */
  candidates: MatchCandidate[];
  /** Only when no single unit can do every step; ranked by completion, then total distance. */
  splitPlans: SplitPlan[];
  /** The nearest excluded units (see `counts.explained`), nearest first. */
  exclusions: MatchExclusion[];
  counts: {
    /** Units the engine was given. */
    units: number;
    matched: number;
    excluded: number;
    /** Exclusions listed (the nearest N excluded units). */
    explained: number;
  };
}
