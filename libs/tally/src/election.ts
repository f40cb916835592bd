import type { PbInstance } from './pabulib.js';
import { Rational } from './rational.js';
import type { ResourceShortfall, ResourceVector } from './resources.js';

/** A production request (or PB project) competing for the round's budget. */
export interface Candidate {
  id: string;
  /** In the council's money unit; the one scalar the rules divide the budget by. */
  cost: Rational;
  name?: string;
  /** What funding it would consume of each scarce resource (checked against `resourceLimits`). */
  resources?: ResourceVector;
}

/** One voter's approvals. `weight` (default 1) lets identical ballots be passed once. */
export interface ApprovalBallot {
  approvals: readonly string[];
  weight?: number;
}

/** Why a candidate was or was not funded; `reason` is the sentence shown to members. */
export type Decision =
  | {
      funded: true;
      phase: 'zero-cost' | 'equal-shares' | 'greedy';
      /** 1-based position in the phase (MES round, or greedy step). */
      step: number;
      /** MES only: the affordability factor ρ (payment per unit of utility; cost utilities). */
      rho?: Rational;
      /** MES only: what each supporter who could afford it paid (the rest paid all they had left). */
      payment?: Rational;
      reason: string;
    }
  | {
      funded: false;
      cause: 'no-supporters' | 'unaffordable' | 'over-budget' | 'resource';
      /** unaffordable: the money its supporters had left when MES dropped it. */
      supportersBudget?: Rational;
      /** over-budget: budget left when it was considered. */
      remainingBudget?: Rational;
      /** resource: the first limited resource that ran out (others in `shortfalls`). */
      shortfall?: ResourceShortfall;
      shortfalls?: ResourceShortfall[];
      reason: string;
    };

export interface ProjectReport {
  id: string;
  name?: string;
  cost: Rational;
  /** Voters who approved it (approval), or its score for greedy-by-points. */
  supporters: number;
  score: Rational;
  decision: Decision;
}

export function candidatesFromPabulib(instance: PbInstance): Candidate[] {
  return instance.projects.map((p) => ({ id: p.id, cost: p.cost, ...(p.name !== undefined ? { name: p.name } : {}) }));
}

/** Approval ballots; choose-1 is approval with one project. Other ballot types have no approval form. */
export function approvalBallotsFromPabulib(instance: PbInstance): ApprovalBallot[] {
  if (instance.voteType !== 'approval' && instance.voteType !== 'choose-1') {
    throw new Error(`equal shares here needs approval ballots; this file has ${instance.voteType} ballots`);
  }
  return instance.votes.map((v) => ({ approvals: v.projects }));
}

/**
 * The score greedy ranks by: approvals (approval, choose-1), total points (cumulative, scoring), or
 * positional points for ordinal ballots: with ballots of at most L ranks (META `max_length`, else
 * the longest ballot) rank 1 earns L, rank 2 earns L−1, … — Kraków's 3-2-1, and what its `score`
 * column records.
 */
export function scoresFromPabulib(instance: PbInstance): Map<string, Rational> {
  const totals = new Map<string, bigint>();
  const fractional = new Map<string, Rational>();
  for (const p of instance.projects) totals.set(p.id, 0n);
  const bump = (id: string, by: bigint) => totals.set(id, totals.get(id)! + by);

  if (instance.voteType === 'approval' || instance.voteType === 'choose-1') {
    for (const v of instance.votes) for (const id of new Set(v.projects)) bump(id, 1n);
  } else if (instance.voteType === 'ordinal') {
    const declared = instance.meta['max_length'];
    const longest = instance.votes.reduce((m, v) => Math.max(m, v.projects.length), 0);
    const length = declared !== undefined && /^\d+$/.test(declared.trim()) ? Number(declared) : longest;
    if (longest > length) throw new Error(`a ballot ranks ${longest} projects but max_length is ${length}`);
    for (const v of instance.votes) v.projects.forEach((id, i) => bump(id, BigInt(length - i)));
  } else {
    for (const v of instance.votes) {
      if (!v.points) continue;
      v.projects.forEach((id, i) => {
        const pts = v.points![i];
        if (pts.isInteger()) bump(id, pts.num);
        else fractional.set(id, (fractional.get(id) ?? Rational.ZERO).add(pts));
      });
    }
  }
  const scores = new Map<string, Rational>();
  for (const [id, t] of totals) scores.set(id, Rational.of(t).add(fractional.get(id) ?? Rational.ZERO));
  return scores;
}

/** Supporters per project: voters who approved / scored / ranked it at all. */
export function supportersFromPabulib(instance: PbInstance): Map<string, number> {
  const count = new Map<string, number>(instance.projects.map((p) => [p.id, 0]));
  for (const v of instance.votes) {
    for (const id of new Set(v.projects)) count.set(id, count.get(id)! + 1);
  }
  return count;
}

/** Drops projects (and their mentions in ballots), e.g. ones withdrawn before the count. */
export function withoutProjects(instance: PbInstance, ids: readonly string[]): PbInstance {
  if (ids.length === 0) return instance;
  const drop = new Set(ids);
  for (const id of drop) {
    if (!instance.projects.some((p) => p.id === id)) throw new Error(`cannot exclude unknown project "${id}"`);
  }
  return {
    ...instance,
    projects: instance.projects.filter((p) => !drop.has(p.id)),
    votes: instance.votes.map((v) => {
      const keep = v.projects.map((id, i) => [id, i] as const).filter(([id]) => !drop.has(id));
      return {
        ...v,
        projects: keep.map(([id]) => id),
        ...(v.points ? { points: keep.map(([, i]) => v.points![i]) } : {}),
      };
    }),
  };
}

export function money(r: Rational): string {
  return r.toDecimalString() ?? `${r.toFixed(4)} (${r.toString()})`;
}
