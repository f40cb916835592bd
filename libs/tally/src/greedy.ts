import { money, type Candidate, type Decision, type ProjectReport } from './election.js';
import { Rational, type RationalLike } from './rational.js';
import { ResourceLedger, type ResourceLimits } from './resources.js';
import { describeTieBreak, tieBreakComparator, type TieBreak } from './tie-break.js';

export interface GreedyInput {
  budget: Rational;
  candidates: readonly Candidate[];
  /** Approval count, points, … per candidate id; missing ids score 0. */
  scores: ReadonlyMap<string, RationalLike> | Readonly<Record<string, RationalLike>>;
  /** Voters behind each candidate, for the report only (defaults to the score when integral). */
  supporters?: ReadonlyMap<string, number>;
  resourceLimits?: ResourceLimits;
}

export interface GreedyOptions {
  /** Order among equal scores. Default `'id'` (pabutools' lexicographic tie-breaking). */
  tieBreak?: TieBreak;
  /**
   * Fund candidates nobody voted for when money is left. pabutools' greedy does (score 0 still
   * sorts last and is taken if it fits), so the default is true; a council may prefer false.
   */
  fundUnsupported?: boolean;
  /** Already funded before this pass (greedy completion after MES); their cost and resources count. */
  initial?: readonly string[];
  /** Resources already consumed by `initial` are charged from these limits; pass a ledger to continue one. */
  ledger?: ResourceLedger;
}

export interface GreedyOutcome {
  /** Funded ids in funding order (including `initial`, first). */
  selected: string[];
  cost: Rational;
  remainingBudget: Rational;
  remainingResources: Record<string, Rational>;
  projects: ProjectReport[];
  tieBreak: string;
}

/**
 * Greedy by votes, the rule most Polish PB rounds use: fund candidates from the highest score
 * down, skip one that no longer fits (in money or in any limited resource) and keep going. This
 * is pabutools' greedy_utilitarian_welfare with cost satisfaction (marginal welfare per unit of
 * cost = approval count), with the same skip-and-continue rule (`cost ≤ remaining` fits).
 */
export function greedy(input: GreedyInput, options: GreedyOptions = {}): GreedyOutcome {
  const scoreOf = scoreLookup(input.scores);
  const compareTie = tieBreakComparator(options.tieBreak);
  const fundUnsupported = options.fundUnsupported ?? true;
  const byId = new Map(input.candidates.map((c) => [c.id, c]));
  if (byId.size !== input.candidates.length) throw new Error('greedy: duplicate candidate ids');

  const ledger = options.ledger ?? new ResourceLedger(input.resourceLimits);
  const selected: string[] = [];
  let remaining = input.budget;
  const decisions = new Map<string, Decision>();
  for (const id of options.initial ?? []) {
    const c = byId.get(id);
    if (!c) throw new Error(`greedy: initial selection names unknown candidate "${id}"`);
    selected.push(id);
    remaining = remaining.sub(c.cost);
    if (!options.ledger) ledger.take(c.resources);
  }
  if (remaining.isNegative()) throw new Error('greedy: the initial selection already exceeds the budget');

  const initial = new Set(selected);
  const order = input.candidates
    .filter((c) => !initial.has(c.id))
    .sort((a, b) => scoreOf(b.id).compare(scoreOf(a.id)) || compareTie(a, b));

  let step = 0;
  for (const c of order) {
    const score = scoreOf(c.id);
    if (!fundUnsupported && score.isZero()) {
      decisions.set(c.id, { funded: false, cause: 'no-supporters', reason: 'nobody voted for it' });
      continue;
    }
    if (c.cost.gt(remaining)) {
      decisions.set(c.id, {
        funded: false,
        cause: 'over-budget',
        remainingBudget: remaining,
        reason: `did not fit the remaining budget (costs ${money(c.cost)}, ${money(remaining)} left)`,
      });
      continue;
    }
    const shortfalls = ledger.shortfalls(c.resources);
    if (shortfalls.length > 0) {
      const s = shortfalls[0];
      decisions.set(c.id, {
        funded: false,
        cause: 'resource',
        shortfall: s,
        shortfalls,
        reason: `not enough ${s.resource} left (needs ${money(s.needed)}, ${money(s.remaining)} left)`,
      });
      continue;
    }
    step++;
    selected.push(c.id);
    remaining = remaining.sub(c.cost);
    ledger.take(c.resources);
    decisions.set(c.id, {
      funded: true,
      phase: 'greedy',
      step,
      reason: `funded at greedy step ${step} with score ${money(score)}`,
    });
  }

  const projects: ProjectReport[] = input.candidates.map((c) => {
    const score = scoreOf(c.id);
    return {
      id: c.id,
      ...(c.name !== undefined ? { name: c.name } : {}),
      cost: c.cost,
      supporters: input.supporters?.get(c.id) ?? (score.isInteger() ? Number(score.num) : 0),
      score,
      decision: decisions.get(c.id) ?? {
        funded: true,
        phase: 'greedy',
        step: 0,
        reason: 'already funded before the greedy pass',
      },
    };
  });

  return {
    selected,
    cost: input.budget.sub(remaining),
    remainingBudget: remaining,
    remainingResources: ledger.remaining(),
    projects,
    tieBreak: describeTieBreak(options.tieBreak),
  };
}

function scoreLookup(
  scores: ReadonlyMap<string, RationalLike> | Readonly<Record<string, RationalLike>>,
): (id: string) => Rational {
  const cache = new Map<string, Rational>();
  const entries: Iterable<[string, RationalLike]> =
    scores instanceof Map ? scores.entries() : Object.entries(scores as Record<string, RationalLike>);
  for (const [id, v] of entries) cache.set(id, Rational.from(v));
  return (id) => cache.get(id) ?? Rational.ZERO;
}
