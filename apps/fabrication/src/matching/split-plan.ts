/**
 * When no single unit can make the design, can a few nearby units make it together?
 *
 * Exhaustive over unit sets, greedy inside each: from the nearest `splitPoolSize` units able
 * to do at least one step (Active, in range), every set of 2 to `maxSplitUnits` units is
 * tried (8 units, 3 per plan: 84 sets). Within a set the steps run in design order, each
 * after the previous completes, each on the set's machine that finishes it earliest — the
 * same rule as a single unit, which is optimal for a chain when each step's finish only
 * depends on its start. Stock a plan uses at a unit is not counted twice. Transport between
 * units is not modelled (no data to model it with): the plan says which parts move where.
 *
 * Plans rank by completion, then total distance of the units involved, then their ids.
 */
import type { SplitPart, SplitPlan, StepAssignment } from '#libs/contracts/src/fabrication/matching.js';
import { convertQuantity } from '#libs/taxonomy/src/index.js';
import { costOf, type MaterialNeed } from './cost-vector.js';
import { assignment, cmp, covers, placeStep, stockOf, type Placement, type PreparedStep, type ScreenedUnit } from './machine-fit.js';
import type { MatchOptions } from './match-input.js';

export const DEFAULT_SPLIT_POOL_SIZE = 8;
export const DEFAULT_MAX_SPLIT_UNITS = 3;
export const DEFAULT_MAX_SPLIT_PLANS = 5;

export function planSplits(args: {
  steps: readonly PreparedStep[];
  needs: readonly MaterialNeed[];
  units: readonly ScreenedUnit[];
  now: Date;
  needBy: Date;
  options?: MatchOptions;
}): SplitPlan[] {
  const { steps, needs, now, needBy } = args;
  const poolSize = args.options?.splitPoolSize ?? DEFAULT_SPLIT_POOL_SIZE;
  const maxUnits = Math.max(2, args.options?.maxSplitUnits ?? DEFAULT_MAX_SPLIT_UNITS);
  const maxPlans = args.options?.maxSplitPlans ?? DEFAULT_MAX_SPLIT_PLANS;

  const pool = args.units
    .filter((u) => steps.some((s) => u.capable[s.index]?.length && hasStock(u, s, undefined)))
    .sort((a, b) => a.distanceKm - b.distanceKm || cmp(a.unit.id, b.unit.id))
    .slice(0, poolSize);
  if (pool.length < 2) return [];

  const plans = new Map<string, SplitPlan & { signature: string }>();
  for (const set of subsets(pool, 2, Math.min(maxUnits, pool.length))) {
    const plan = planFor(set, steps, needs, now, needBy);
    if (plan && !plans.has(plan.signature)) plans.set(plan.signature, plan);
  }
  return [...plans.values()]
    .sort((a, b) => cmp(a.completion, b.completion) || a.totalDistanceKm - b.totalDistanceKm || cmp(a.signature, b.signature))
    .slice(0, maxPlans)
    .map(({ signature: _s, ...p }) => p);
}

function planFor(
  set: readonly ScreenedUnit[],
  steps: readonly PreparedStep[],
  needs: readonly MaterialNeed[],
  now: Date,
  needBy: Date,
): (SplitPlan & { signature: string }) | null {
  const used = new Map<string, { quantity: number; unit: string }[]>();
  const chosen: { unit: ScreenedUnit; assignment: StepAssignment }[] = [];
  let notBefore = now;
  for (const step of steps) {
    let best: { unit: ScreenedUnit; placed: Placement } | null = null;
    for (const u of set) {
      const machines = u.capable[step.index];
      if (!machines?.length || !hasStock(u, step, used)) continue;
      const placed = placeStep(machines, step.minutes, notBefore, best ? best.placed.completion : needBy);
      if (!placed) continue;
      if (
        !best ||
        placed.completion.getTime() < best.placed.completion.getTime() ||
        u.distanceKm < best.unit.distanceKm ||
        (u.distanceKm === best.unit.distanceKm && u.unit.id < best.unit.unit.id)
      ) {
        best = { unit: u, placed };
      }
    }
    if (!best) return null;
    if (step.materialQuantity > 0) {
      const key = `${best.unit.unit.id}\u0000${step.material}`;
      used.set(key, [...(used.get(key) ?? []), { quantity: step.materialQuantity, unit: step.unit }]);
    }
    chosen.push({ unit: best.unit, assignment: assignment(step, best.placed, notBefore) });
    notBefore = best.placed.completion;
  }

  const parts: SplitPart[] = [];
  for (const c of chosen) {
    let part = parts.find((p) => p.unitId === c.unit.unit.id);
    if (!part) {
      part = { unitId: c.unit.unit.id, unitName: c.unit.unit.name, distanceKm: round2(c.unit.distanceKm), steps: [] };
      parts.push(part);
    }
    part.steps.push(c.assignment);
  }
  // One unit doing everything is a candidate, not a split (and was already ruled out).
  if (parts.length < 2) return null;
  const distinct = new Map(chosen.map((c) => [c.unit.unit.id, c.unit.distanceKm]));
  const assignments = chosen.map((c) => c.assignment);
  return {
    split: true,
    parts,
    completion: assignments[assignments.length - 1].completion,
    totalDistanceKm: round2([...distinct.values()].reduce((a, b) => a + b, 0)),
    cost: costOf(assignments, needs),
    signature: chosen.map((c) => `${c.unit.unit.id}/${c.assignment.machineId}`).join('|'),
  };
}

/** Stock for this step at this unit, after what the plan already takes there. */
function hasStock(u: ScreenedUnit, step: PreparedStep, used: Map<string, { quantity: number; unit: string }[]> | undefined): boolean {
  if (!(step.materialQuantity > 0)) return true;
  const have = stockOf(u.unit.stock, step.material, step.unit);
  if (have === null) return false;
  let taken = 0;
  for (const t of used?.get(`${u.unit.id}\u0000${step.material}`) ?? []) {
    try {
      taken += convertQuantity(t.quantity, t.unit, step.unit);
    } catch {
      // another dimension: counted against its own stock entries, not these
    }
  }
  return covers(have - taken, step.materialQuantity);
}

/** Subsets of `items` with min..max members, in a fixed order (nearest units first). */
function* subsets<T>(items: readonly T[], min: number, max: number): Generator<T[]> {
  const pick: T[] = [];
  function* rec(start: number): Generator<T[]> {
    if (pick.length >= min) yield [...pick];
    if (pick.length === max) return;
    for (let i = start; i < items.length; i++) {
      pick.push(items[i]);
      yield* rec(i + 1);
      pick.pop();
    }
  }
  yield* rec(0);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
