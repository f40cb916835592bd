import type { Contributor } from '../commons/design-version.js';
import type { CostVector, MaterialQuantity } from '../fabrication/matching.js';
import type { JobState, RequestMode, RequestState } from './states.js';

/** One step of a plan placed on one machine of one unit (what a job is made from). */
export interface PlanStep {
  stepIndex: number;
  fabUnitId: string;
  fabUnitName: string;
  machineId: string;
  process: string;
  machineProcess: string;
  material: string;
  minutes: number;
  materialQuantity: number;
  materialUnit: string;
  envelopeMm?: { x: number; y: number; z: number };
  start: string;
  completion: string;
}

/** A match candidate (one unit) or split plan (several), reduced to what production needs. */
export interface ProductionPlan {
  kind: 'candidate' | 'split';
  fabUnitIds: string[];
  completion: string;
  steps: PlanStep[];
  cost: CostVector;
}

export interface TransitionView {
  from: string | null;
  to: string;
  action: string;
  actor: { kind: 'person' | 'machine' | 'system'; accountId: string | null; apiKeyId: string | null };
  detail: Record<string, unknown> | null;
  at: string;
}

export interface ProductionRequestView {
  id: string;
  requesterId: string;
  designVersionId: string;
  title: string;
  quantity: number;
  delivery: { lat: number; lon: number };
  needBy: string;
  purpose: string;
  mode: RequestMode;
  fabUnitId: string | null;
  state: RequestState;
  /** Why it is in this state when that needs saying (unfunded, failed). */
  reason: string | null;
  roundId: string | null;
  plan: ProductionPlan | null;
  costVector: CostVector | null;
  /** The other candidates, best first; a declined job is rerouted to the next of them. */
  alternatives: ProductionPlan[];
  jobs: JobSummaryView[];
  transitions: TransitionView[];
  createdAt: string;
  updatedAt: string;
}

export interface CreatedRequestView {
  /** False when this Idempotency-Key was seen before with the same body: the same request. */
  created: boolean;
  request: ProductionRequestView;
}

export interface JobSummaryView {
  id: string;
  stepIndex: number;
  fabUnitId: string;
  state: JobState;
}

export interface JobView {
  id: string;
  requestId: string;
  designVersionId: string;
  title: string;
  quantity: number;
  stepIndex: number;
  attempt: number;
  fabUnitId: string;
  machineId: string | null;
  process: string;
  material: string;
  minutes: number;
  materialQuantity: number;
  materialUnit: string;
  state: JobState;
  progress: number;
  reason: string | null;
  reservation: { reservationIds: string[]; slots: { start: string; end: string }[]; completion: string; materialHoldId: string | null } | null;
  reroutedFrom: string | null;
  queuedAt: string;
  acceptedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  transitions?: TransitionView[];
}

export interface ProvenanceView {
  jobId: string;
  requestId: string;
  design: {
    designVersionId: string;
    designId: string | null;
    title: string;
    version: string | null;
    contentHash: string;
    license: string;
    /** Every contributor up the lineage, this version's first. */
    attribution: Contributor[];
  };
  fabUnitId: string;
  machineId: string | null;
  process: string;
  quantity: number;
  materialsConsumed: (MaterialQuantity & { material: string })[];
  acceptedAt: string | null;
  startedAt: string | null;
  completedAt: string;
  recordedAt: string;
}
