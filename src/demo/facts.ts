import type { RoundBudget, RoundResultView } from '#libs/contracts/src/council/index.js';
import type { OkwImportSummary } from '#libs/contracts/src/fabrication/views.js';
import type { JobState, RequestState } from '#libs/contracts/src/production/states.js';
import type { ProvenanceView } from '#libs/contracts/src/production/views.js';
import type { DesignKey } from './regions.js';

/**
 * Everything the demo saw, as plain data: the report prints it and the checks judge it, both
 * without a server, so both have unit tests.
 */

export interface DesignFact {
  file: string;
  outcome: 'imported' | 'already present' | 'refused';
  slug?: string;
  version?: string;
  title?: string;
  contentHash?: string;
  designVersionId?: string;
  /** Demo designs: which one it is. */
  key?: DesignKey;
  /** Names of the licensors and contributors of the version (its attribution). */
  attribution?: string[];
  detail?: string;
}

export interface EquipFact {
  selected: number;
  pooled: number;
  newlyEquipped: number;
  alreadyEquipped: number;
  machinesByProcess: Record<string, number>;
  hours: Record<string, number>;
}

export interface ReservationFact {
  fabUnitId: string;
  machineId: string;
  process: string;
  key: string | null;
  start: string;
  end: string;
}

export interface StockFact {
  fabUnitId: string;
  material: string;
  quantity: number | null;
  held: number;
}

export interface RequestFact {
  key: string;
  label: string;
  design: DesignKey;
  purpose: string;
  quantity: number;
  requester: string;
  /** Null when no lab could make it (the match answered 422). */
  id: string | null;
  refusal?: string;
  plannedUnits: string[];
  /** Added to the round's ballot. */
  candidate: boolean;
  candidateRefusal?: string;
  /** Machine minutes per process of its plan. */
  minutes: Record<string, number>;
  stateAfterRound?: RequestState;
  finalState?: RequestState;
  reason?: string | null;
}

export interface CouncilFact {
  region: string;
  name: string;
  councilId: string;
  roundId: string;
  /** The round's pool: where its funded jobs, and a declined one rerouted, are reserved. */
  poolUnitIds: string[];
  /** Available machines of each demo process in the pool (two: a declined job has somewhere to go). */
  machinesPerProcess: Record<string, number>;
  delegates: number;
  community: number;
  periodFrom: string;
  periodTo: string;
  needBy: string;
  budget: RoundBudget;
  requests: RequestFact[];
  ballots: number;
  result: RoundResultView;
}

export interface JobFact {
  id: string;
  requestId: string;
  stepIndex: number;
  attempt: number;
  fabUnitId: string;
  process: string;
  minutes: number;
  state: JobState;
  reroutedFrom: string | null;
  reason: string | null;
  /** Its reservation as placed: the first slot's start, the last slot's end. */
  reserved: { start: string; end: string } | null;
}

export interface ConnectorFact {
  units: number;
  /** Job ids in the order connectors took them (a job twice here was doubled). */
  taken: string[];
  /** Jobs of earlier runs found in the queues and finished too. */
  leftovers: number;
  declined: { jobId: string; fabUnitId: string } | null;
  failed: string[];
  /** Jobs cancelled while a connector held them (their request failed meanwhile). */
  cancelledWhileHeld: number;
}

export interface ProvenanceFact {
  view: ProvenanceView;
  expectedContentHash: string;
  expectedAttribution: string[];
  requestLabel: string;
  fabUnitName: string;
}

export interface DemoFacts {
  runId: string;
  seed: number;
  scale: number;
  baseUrl: string;
  startedSystem: boolean;
  timings: { step: string; ms: number }[];
  designs: DesignFact[];
  okw: OkwImportSummary & { file: string };
  units: Record<string, string>;
  equip: EquipFact;
  councils: CouncilFact[];
  /** Reservations and stock at the pooled labs once the funded requests were reserved. */
  reservations: ReservationFact[];
  stock: StockFact[];
  jobs: JobFact[];
  connectors: ConnectorFact;
  provenance: ProvenanceFact | null;
}
