/**
 * A council's rules: how its rounds are voted and counted, and what its unit of account is
 * worth. Fixed before a round opens: every round stores its own copy, so a later change of the
 * council's rules (by motion) never alters a round that is already open.
 */
export const MEMBER_ROLES = ['fab_unit_delegate', 'designer', 'community', 'admin'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const VOTING_METHODS = ['equal-shares', 'greedy'] as const;
export type VotingMethod = (typeof VOTING_METHODS)[number];

export const BALLOT_TYPES = ['approval', 'cumulative', 'ranked'] as const;
export type BallotType = (typeof BALLOT_TYPES)[number];

/**
 * How equal candidates are ordered. `id`: by production request id in code-point order, which is
 * pabutools' default lexicographic tie-breaking on the project id of the exported `.pb` file.
 */
export const TIE_BREAKS = ['id', 'cost-asc', 'cost-desc'] as const;
export type TieBreakRule = (typeof TIE_BREAKS)[number];

export interface MaterialRate {
  /** The unit the rate is per (canonical unit id, e.g. `kg`); material limits are kept in it. */
  unit: string;
  /** Exact decimal text, e.g. "24.5": council units per `unit`. */
  rate: string;
}

export interface CouncilRates {
  /** Council units per machine hour, by canonical process id. Exact decimal text. */
  machineHour: Record<string, string>;
  /** Council units per unit of each material, by canonical material id. */
  material: Record<string, MaterialRate>;
}

export interface CouncilRules {
  votingMethod: VotingMethod;
  ballotType: BallotType;
  /** Cumulative ballots: the points each member distributes (at most). */
  maxPoints: number;
  tieBreak: TieBreakRule;
  /** Method of Equal Shares completion: raise every voter's budget by `increment` until exhaustive ("add1"), then fill greedily. */
  completion: { add1: boolean; increment: string; greedyFill: boolean };
  /** Share of members (exact decimal or fraction text, "0" … "1") who must cast a round ballot for it to fund anything. */
  quorum: string;
  /** Secret ballots: nobody reads another member's ballot; results list receipt hashes only. */
  secretBallots: boolean;
  /** A member may replace the ballot until the round closes. */
  replaceableBallots: boolean;
  rates: CouncilRates;
}

export const DEFAULT_COUNCIL_RULES: CouncilRules = {
  votingMethod: 'equal-shares',
  ballotType: 'approval',
  maxPoints: 10,
  tieBreak: 'id',
  completion: { add1: true, increment: '1', greedyFill: true },
  quorum: '0',
  secretBallots: true,
  replaceableBallots: true,
  rates: { machineHour: {}, material: {} },
};
