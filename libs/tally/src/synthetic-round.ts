import type { ApprovalBallot, Candidate } from './election.js';
import { Rational } from './rational.js';
import type { ResourceLimits } from './resources.js';

/**
 * A reproducible synthetic allocation round for benchmarks and property tests: the same options
 * give the same round on every machine (32-bit integer PRNG, no Math.random, no floats).
 */
export interface SyntheticRoundOptions {
  seed?: number;
  voters?: number;
  candidates?: number;
  /** Each voter approves a uniform number of candidates in [min, max]. */
  minApprovals?: number;
  maxApprovals?: number;
  /** Candidate costs, uniform integers in [min, max]. */
  minCost?: number;
  maxCost?: number;
  /** Budget = floor(total cost · budgetPercent / 100). */
  budgetPercent?: number;
  /** Number of scarce resources (machine-minutes, materials) to attach; 0 = money only. */
  resources?: number;
}

export interface SyntheticRound {
  budget: Rational;
  candidates: Candidate[];
  ballots: ApprovalBallot[];
  resourceLimits?: ResourceLimits;
}

// Module-level aliases: under test runners that run modules in a vm context, every access to a
// global like Math goes through the context's interceptor, which is slow in hot loops.
const imul = Math.imul;
const isInteger = Number.isInteger;

/** mulberry32: tiny, well-distributed, 32-bit integer state. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniform integer in [0, bound) by rejection, so no modulo bias. */
export function randomBelow(next: () => number, bound: number): number {
  if (!isInteger(bound) || bound <= 0 || bound > 0x100000000) throw new RangeError('randomBelow: bad bound');
  const limit = 0x100000000 - (0x100000000 % bound);
  for (;;) {
    const x = next();
    if (x < limit) return x % bound;
  }
}

export function syntheticRound(options: SyntheticRoundOptions = {}): SyntheticRound {
  const {
    seed = 20240601,
    voters = 100_000,
    candidates: m = 200,
    minApprovals = 1,
    maxApprovals = 12,
    minCost = 2_000,
    maxCost = 120_000,
    budgetPercent = 25,
    resources = 0,
  } = options;
  const next = seededRandom(seed);
  const width = String(m).length;

  const candidates: Candidate[] = [];
  // Skewed popularity: weight (1..40)², so a few candidates draw most approvals, as in real rounds.
  const popularity: number[] = [];
  let totalCost = 0n;
  const resourceNames = Array.from({ length: resources }, (_, r) => `machine-${String(r + 1).padStart(2, '0')}:min`);
  const resourceTotals = resourceNames.map(() => 0n);
  for (let i = 0; i < m; i++) {
    const cost = minCost + randomBelow(next, maxCost - minCost + 1);
    totalCost += BigInt(cost);
    const base = 1 + randomBelow(next, 40);
    popularity.push(base * base);
    const candidate: Candidate = { id: `c${String(i + 1).padStart(width, '0')}`, cost: Rational.of(cost) };
    if (resources > 0) {
      const needs: Record<string, Rational> = {};
      resourceNames.forEach((name, r) => {
        if (randomBelow(next, 3) === 0) return;
        const minutes = 30 + randomBelow(next, 600);
        needs[name] = Rational.of(minutes);
        resourceTotals[r] += BigInt(minutes);
      });
      candidate.resources = needs;
    }
    candidates.push(candidate);
  }
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of popularity) cumulative.push((sum += w));

  const ballots: ApprovalBallot[] = [];
  if (minApprovals < 0 || maxApprovals < minApprovals || maxApprovals > m) throw new RangeError('syntheticRound: bad approval counts');
  const span = maxApprovals - minApprovals + 1;
  const chosen = new Set<number>();
  for (let v = 0; v < voters; v++) {
    const k = minApprovals + randomBelow(next, span);
    chosen.clear();
    while (chosen.size < k) {
      const x = randomBelow(next, sum);
      let lo = 0;
      let hi = m - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid] > x) hi = mid;
        else lo = mid + 1;
      }
      chosen.add(lo);
    }
    ballots.push({ approvals: [...chosen].map((i) => candidates[i].id) });
  }

  const round: SyntheticRound = {
    budget: Rational.of((totalCost * BigInt(budgetPercent)) / 100n),
    candidates,
    ballots,
  };
  if (resources > 0) {
    // A third of what all candidates together would need: tight enough to bind.
    round.resourceLimits = Object.fromEntries(resourceNames.map((name, r) => [name, Rational.of(resourceTotals[r] / 3n)]));
  }
  return round;
}
