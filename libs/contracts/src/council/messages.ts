import type { CostVector, MaterialQuantity } from '../fabrication/matching.js';
import type { CouncilRules, MemberRole } from './rules.js';

/**
 * What the gateway asks of the council service over the transport. Each message is
 * `{ actor, data }`; `data` is the DTO class of ./dto.ts named beside the pattern, validated by
 * the service's global pipe. Allocation decisions leave through the outbox on
 * QUEUES.allocations (AllocationDecisionMessage, libs/contracts/src/production).
 */
export const COUNCIL_PATTERNS = {
  /** CreateCouncilDto → CouncilView */
  councilsCreate: 'council.councils.create',
  /** IdMessage → CouncilView */
  councilsGet: 'council.councils.get',
  /** AdmitMemberMessage → MemberView */
  membersAdmit: 'council.members.admit',
  /** AddFabUnitMessage → CouncilView */
  fabUnitsAdd: 'council.fab-units.add',
  /** CreateMotionMessage → MotionView */
  motionsCreate: 'council.motions.create',
  /** IdMessage → MotionView */
  motionsGet: 'council.motions.get',
  /** CastMotionBallotMessage → BallotReceipt */
  motionBallotsCast: 'council.motions.ballot.cast',
  /** IdMessage → MotionResultView (409 while open) */
  motionsClose: 'council.motions.close',
  /** IdMessage → MotionResultView */
  motionsResult: 'council.motions.result',
  /** OpenRoundMessage → RoundView */
  roundsOpen: 'council.rounds.open',
  /** IdMessage → RoundView */
  roundsGet: 'council.rounds.get',
  /** AddCandidateMessage → CandidateView */
  candidatesAdd: 'council.rounds.candidates.add',
  /** CastRoundBallotMessage → BallotReceipt */
  roundBallotsCast: 'council.rounds.ballot.cast',
  /** IdMessage → OwnBallotView (the actor's own) */
  roundBallotsGetOwn: 'council.rounds.ballot.get-own',
  /** IdMessage → RoundResultView */
  roundsClose: 'council.rounds.close',
  /** IdMessage → RoundResultView (409 while open), each candidate with production's side read now */
  roundsResult: 'council.rounds.result',
  /** IdMessage → `{ text }`: the round as an anonymised Pabulib file */
  roundsExport: 'council.rounds.export',
} as const;

/** BullMQ job on QUEUES.roundCloses, jobId = roundId, delayed until the window closes. */
export interface RoundCloseJob {
  roundId: string;
}

export interface MemberView {
  id: string;
  councilId: string;
  accountId: string;
  role: MemberRole;
  admittedAt: string;
}

export interface CouncilView {
  id: string;
  name: string;
  scope: string;
  rules: CouncilRules;
  members: MemberView[];
  fabUnitIds: string[];
  createdAt: string;
}

export type MotionAction =
  | { type: 'admit-member'; accountId: string; role: MemberRole }
  | { type: 'change-rules'; rules: Partial<CouncilRules> };

export interface MotionView {
  id: string;
  councilId: string;
  title: string;
  description: string;
  kind: 'yes-no' | 'ranked';
  /** yes-no: 'majority' (yes > no), '2:1' (yes ≥ 2·no), '3:1' (yes ≥ 3·no). */
  threshold: string | null;
  /** Share of members who must vote, exact text ("1/2", "0.25"). */
  quorum: string;
  options: string[];
  defaultOption: string | null;
  /** Ranked: the ratio every option must beat the default option by (Debian A.6), e.g. "1", "3". */
  majorityRatio: string | null;
  action: MotionAction | null;
  state: 'open' | 'closed';
  closesAt: string | null;
  createdAt: string;
  closedAt: string | null;
}

export interface BallotReceipt {
  /** Replaced an earlier ballot of the same member. */
  replaced: boolean;
  /** SHA-256 over the ballot, its round or motion and a salt only the member is shown: find it among the counted receipts of the result. */
  receipt: string;
  castAt: string;
}

export interface MotionResultView {
  motionId: string;
  kind: 'yes-no' | 'ranked';
  members: number;
  ballots: number;
  quorumMet: boolean;
  passed: boolean;
  /** yes-no */
  yes?: number;
  no?: number;
  abstain?: number;
  /** ranked (Schulze, winning votes) */
  winners?: string[];
  ranking?: string[];
  /** `A>B`: members preferring A to B. */
  pairwise?: Record<string, number>;
  /** `A>B`: strength of the strongest path from A to B (winning votes), exact text. */
  strongestPaths?: Record<string, string>;
  droppedByDefault?: string[];
  explanation: string;
  actionApplied: boolean;
  receipts: string[];
  digest: string;
  closedAt: string;
}

export interface RoundBudget {
  from: string;
  to: string;
  fabUnitIds: string[];
  /** Free machine minutes per process over the period, as fabrication answered when the round opened. */
  machineMinutes: Record<string, number>;
  materials: Record<string, MaterialQuantity>;
  /**
   * Per process, the free minutes of the freest single machine of the pool over the period. A
   * step runs whole on one machine, so a step longer than this cannot be placed whatever the
   * summed minutes say. Absent in rounds opened before it was recorded.
   */
  largestMachineMinutes?: Record<string, number>;
  /** The pool valued at the council's rates: Σ hours × rate + Σ material × rate (exact text). */
  money: string;
  /** The per-resource limits the tally checks, by resource name (exact text). */
  limits: Record<string, string>;
}

export interface CandidateView {
  roundId: string;
  productionRequestId: string;
  title: string;
  purpose: string;
  requesterId: string;
  fabUnitIds: string[];
  costVector: CostVector;
  /** In the council's unit of account (exact text). */
  cost: string;
  /** Its needs by resource name, in the units of the round's limits (exact text). */
  resources: Record<string, string>;
  addedAt: string;
}

export interface RoundView {
  id: string;
  councilId: string;
  title: string;
  state: 'open' | 'closed';
  periodFrom: string;
  periodTo: string;
  opensAt: string;
  closesAt: string;
  rules: CouncilRules;
  budget: RoundBudget;
  candidates: CandidateView[];
  ballots: number;
  createdAt: string;
  closedAt: string | null;
}

export interface RoundBallotContent {
  approvals?: string[];
  points?: Record<string, number>;
  ranking?: string[];
}

export interface OwnBallotView extends RoundBallotContent {
  roundId: string;
  receipt: string;
  castAt: string;
}

export interface CandidateOutcome {
  productionRequestId: string;
  title: string;
  funded: boolean;
  /** Position in the selection order (1-based), or null. */
  position: number | null;
  /** Members who approved / scored / ranked it. */
  votes: number;
  /** Approvals, total points or positional points: what greedy sorts by. */
  score: string;
  cost: string;
  resources: Record<string, string>;
  reason: string;
  /** Unfunded for lack of a resource: the one that ran out first. */
  shortResource?: string;
  /**
   * What production made of it since, read when the result is asked for (GET …/result only):
   * a separate fact from the vote, so it is neither stored with the tally nor part of its digest.
   */
  production?: CandidateProduction;
}

/** A candidate's production request as production tells it now (RequestOutcome). */
export interface CandidateProduction {
  /** funded, in_production, fulfilled, failed, cancelled, unfunded… (a funded candidate may have failed since). */
  state: string;
  /**
   * Production's reason for that state, if any (e.g. why no reservation could be placed). Shown
   * to the council's members, the request's requester and platform admins only: it may quote
   * an operator's decline or fail note. Others get null and `reasonWithheld`.
   */
  reason: string | null;
  reasonWithheld?: true;
  /** What production made of this round's decision when it applied it (funded, unfunded, failed, moot); null until then. */
  decision: string | null;
  /** The round the request went through last: another one than this when, unfunded here, it was tried again. */
  roundId: string | null;
  /** When production last changed the request. */
  updatedAt: string;
}

export interface RoundResultView {
  roundId: string;
  rule: string;
  tieBreak: string;
  members: number;
  ballots: number;
  quorumMet: boolean;
  budget: string;
  cost: string;
  /** Funded production request ids, in selection order. */
  funded: string[];
  candidates: CandidateOutcome[];
  remainingResources: Record<string, string>;
  /** SHA-256 (hex) over the sorted anonymised ballots, the candidates and the rules. */
  digest: string;
  /** Secret ballots: the receipt of every counted ballot, sorted. */
  receipts: string[];
  /** Open ballots only: who voted what. */
  ballotsByMember?: { accountId: string; ballot: RoundBallotContent }[];
  closedAt: string;
  /**
   * GET …/result only: when production's side (each candidate's `production`) was read, or why
   * it could not be (`unavailable`: the tally is shown without it).
   */
  production?: { readAt: string; unavailable?: string };
}
