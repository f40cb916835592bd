import type { CostVector, MaterialQuantity } from './matching.js';

/**
 * What other services ask of fabrication over the transport, and what they send it through
 * BullMQ. The gateway↔fabrication patterns live beside.
 */
export const FABRICATION_PATTERNS = {
  /** MatchQuery → MatchResult (also behind GET /matches). */
  matchesFind: 'fabrication.matches.find',
  /** `{ fabUnitIds, from, to }` → PooledCapacity: what a council's round budget is made of. */
  capacityPool: 'fabrication.capacity.pool',
  /** `{ ids }` → FabUnitSummary[] (unknown ids are left out). */
  fabUnitsSummary: 'fabrication.fab-units.summary',
  /** PlaceReservation → PlacedReservation; 409 when no slot fits or stock is short. Idempotent by `key`. */
  reservationsPlace: 'fabrication.reservations.place',
  /**
   * SetCouncilMembership → `{ fabUnitId, councilIds }`: the council capability records that a
   * unit joined (member: true) or left a council; GET /fab-units/{id} lists them. Idempotent.
   */
  fabUnitsSetCouncil: 'fabrication.fab-units.set-council',
} as const;

export interface SetCouncilMembership {
  fabUnitId: string;
  councilId: string;
  member: boolean;
}

export interface MatchQuery {
  designVersionId: string;
  quantity: number;
  lat: number;
  lon: number;
  needBy: string;
  maxDistanceKm?: number;
  /** Restrict to these units (a council's pool, or the unit of a direct request). */
  fabUnitIds?: string[];
}

export interface PooledCapacity {
  from: string;
  to: string;
  fabUnitIds: string[];
  /** Free machine minutes per process (opening hours minus reservations) over [from, to). */
  machineMinutes: Record<string, number>;
  /** Free stock per material (on hand minus holds), in each material's unit. */
  materials: Record<string, MaterialQuantity>;
}

export interface FabUnitSummary {
  id: string;
  name: string;
  status: string;
  country?: string;
  lat?: number;
  lon?: number;
  timezone?: string;
}

/** Reserve machine time for one job step and hold its material, at the earliest fit. */
export interface PlaceReservation {
  /** Idempotency key: the production job id. Placing the same key again returns the first result. */
  key: string;
  fabUnitId: string;
  /** A specific machine, or any available machine of the unit that fits the step. */
  machineId?: string;
  process: string;
  material: string;
  envelopeMm?: { x: number; y: number; z: number };
  minutes: number;
  materialQuantity: number;
  materialUnit: string;
  notBefore: string;
  needBy: string;
  /** The design version the job makes: a consumed reservation counts as a successful build of it at the unit (a matching tie-break). */
  designVersionId?: string;
}

export interface PlacedReservation {
  key: string;
  reservationIds: string[];
  fabUnitId: string;
  machineId: string;
  slots: { start: string; end: string }[];
  completion: string;
  materialHoldId: string | null;
}

/** Sent on QUEUES.reservations when a job ends: consume (completed) or release (failed, cancelled). */
export interface ReservationOutcomeMessage {
  key: string;
  outcome: 'consume' | 'release';
  at: string;
}

/**
 * BullMQ job names on QUEUES.reservations: a ReservationOutcomeMessage is named after its outcome
 * (`consume`, `release`; what production sent before batches, and may still be in an outbox or in
 * Redis), a ReservationOutcomesMessage `outcomes`.
 */
export const RESERVATION_OUTCOME_JOBS = { batch: 'outcomes' } as const;

/** Production splits larger batches: one message stays a small queue entry and one short fabrication transaction. */
export const MAX_OUTCOME_KEYS_PER_MESSAGE = 500;

/**
 * Sent on QUEUES.reservations (job name RESERVATION_OUTCOME_JOBS.batch) for the jobs that ended the
 * same way in one production transaction: one queue entry for a connector's whole batch. Each key
 * is settled once, as a ReservationOutcomeMessage of it would be.
 */
export interface ReservationOutcomesMessage {
  keys: string[];
  outcome: 'consume' | 'release';
  at: string;
}

export type { CostVector };
