import type { CostVector } from '../fabrication/matching.js';

/**
 * What other services ask of production over the transport, and what they send it through
 * BullMQ. The gateway↔production patterns live beside.
 */
export const PRODUCTION_PATTERNS = {
  /** `{ ids }` → RequestForAllocation[]: what a council needs to put requests on a ballot. */
  requestsForAllocation: 'production.requests.for-allocation',
  /** `{ requestIds, roundId }` → void: submitted → in_allocation (409 if a request is not submitted). */
  requestsEnterAllocation: 'production.requests.enter-allocation',
  /** RequestOutcomesMessage `{ roundId, ids }` → RequestOutcome[]: what became of a round's candidates (unknown ids left out). */
  requestsOutcomes: 'production.requests.outcomes',
} as const;

/** A production request as it stands now, beside what production made of one round's decision on it. */
export interface RequestOutcome {
  id: string;
  /** Its state now: funded, in_production, fulfilled, failed, cancelled, unfunded… */
  state: string;
  /** Production's reason for the state, when it has one (why it failed, why it was unfunded). */
  reason: string | null;
  /** The round it went through last (another one than asked, when it was tried again). */
  roundId: string | null;
  /** What production made of the asked round's decision: funded, unfunded, failed, moot; null until applied. */
  decision: string | null;
  updatedAt: string;
}

export interface RequestForAllocation {
  id: string;
  requesterId: string;
  designVersionId: string;
  title: string;
  quantity: number;
  purpose: string;
  needBy: string;
  state: string;
  /** The units of the chosen match plan: a council takes only requests its pool covers. */
  fabUnitIds: string[];
  costVector: CostVector;
  /** The plan's steps, each to run whole on one machine (absent: not known, not checked). */
  steps?: AllocationStep[];
}

export interface AllocationStep {
  stepIndex: number;
  /** The required process (a machine of it or of a sub-process can run the step). */
  process: string;
  minutes: number;
}

/** Sent on QUEUES.allocations per candidate when a round closes; idempotent by (roundId, requestId). */
export interface AllocationDecisionMessage {
  roundId: string;
  requestId: string;
  funded: boolean;
  reason: string;
  /**
   * The round's period: the machine time the round allocated. A funded request's reservations
   * are placed inside it (and before its needBy), never outside: time outside the period was
   * not in the round's budget. Absent (decisions written before it existed): up to needBy.
   */
  period?: { from: string; to: string };
  /**
   * The round's pool: the fab units whose free time per process was its budget. A funded
   * request's step whose planned machine has no room in the period goes to another machine of
   * these units, and a declined job is rerouted only among them. Absent (decisions written
   * before it existed): the plan's machine only, and reroutes along the match's alternatives.
   */
  poolFabUnitIds?: string[];
}
