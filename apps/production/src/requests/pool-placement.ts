import type { ExclusionRule, MatchResult } from '#libs/contracts/src/fabrication/matching.js';

/**
 * Where else in a council's pool a step may go when the machine its plan names has no room.
 * The round's budget was the whole pool's free time per process, so any machine of the pool
 * doing the step's process is time the tally counted; a unit outside the pool is not.
 */

/** A unit of the pool to try for a step; the name when fabrication's match gave one. */
export interface PoolUnit {
  fabUnitId: string;
  fabUnitName: string | null;
}

/**
 * What the match says a unit can never do, whatever the time: it takes no work, or has no
 * available machine for the step's process, envelope or material. Stock and time change (a
 * release, another step placed elsewhere), so units excluded for those are still tried.
 */
const NEVER: ReadonlySet<ExclusionRule> = new Set<ExclusionRule>(['status', 'process', 'envelope', 'material']);

/**
 * The pool's units to try for step `stepIndex`, in the engine's ranking: the match's candidates
 * (they do every step: earliest completion, then distance…), then the units of its split plans
 * that do this step, then the pool's other units (excluded for another step, for stock or time,
 * or not explained), in the pool's order, since fabrication decides at placement anyway. Units
 * outside the pool, units in `skip`, and units the match rules out for this step are left out.
 * `match` null (fabrication refused the query): the pool's order.
 */
export function poolPlacementOrder(match: MatchResult | null, stepIndex: number, pool: readonly string[], skip: ReadonlySet<string>): PoolUnit[] {
  const inPool = new Set(pool);
  const out: PoolUnit[] = [];
  const seen = new Set<string>();
  const add = (fabUnitId: string, fabUnitName: string | null) => {
    if (seen.has(fabUnitId) || !inPool.has(fabUnitId) || skip.has(fabUnitId)) return;
    seen.add(fabUnitId);
    out.push({ fabUnitId, fabUnitName });
  };
  const names = new Map<string, string>();
  const never = new Set<string>();
  for (const e of match?.exclusions ?? []) {
    names.set(e.unitId, e.unitName);
    if (NEVER.has(e.rule) && (e.stepIndex === undefined || e.stepIndex === stepIndex)) never.add(e.unitId);
  }
  for (const c of match?.candidates ?? []) add(c.unitId, c.unitName);
  for (const plan of match?.splitPlans ?? []) {
    for (const part of plan.parts) if (part.steps.some((s) => s.stepIndex === stepIndex)) add(part.unitId, part.unitName);
  }
  for (const id of pool) if (!never.has(id)) add(id, names.get(id) ?? null);
  return out;
}

/** One step placed on another machine than its plan named, for the request's record. */
export interface StepMove {
  stepIndex: number;
  process: string;
  minutes: number;
  from: { fabUnitId: string; fabUnitName: string; machineId: string };
  to: { fabUnitId: string; fabUnitName: string; machineId: string };
}

/** The moves in words, for the request's reason: which step went where, and why. */
export function describeMoves(moves: readonly StepMove[]): string {
  return moves
    .map((m) => {
      const where =
        m.from.fabUnitId === m.to.fabUnitId
          ? `to another machine of ${m.to.fabUnitName} (${m.to.machineId})`
          : `from ${m.from.fabUnitName}, the planned unit, to ${m.to.fabUnitName}, another unit of the round's pool`;
      return `step ${m.stepIndex + 1} (${m.minutes} minutes of ${m.process}) moved ${where}: the planned machine had no room`;
    })
    .join('; ');
}

/**
 * Why a step found no room anywhere in the pool: the planned machine's refusal first (what a
 * reader of a one-unit pool expects), then the process, the period and what of the pool was
 * searched.
 */
export function poolRefusalReason(args: {
  plannedUnitName: string;
  plannedRefusal: string;
  stepIndex: number;
  process: string;
  minutes: number;
  period: { from: string; to: string } | null;
  deadline: string;
  search: PoolSearch;
}): string {
  const where = args.period ? `inside the round's period (${args.period.from} to ${args.period.to})` : `before ${args.deadline}`;
  return (
    `No reservation could be placed at ${args.plannedUnitName}: ${args.plannedRefusal}; ` +
    `nor on any other machine of the round's pool for step ${args.stepIndex + 1}, ${args.minutes} minutes of ${args.process} ${where}: ` +
    describeSearch(args.search, args.plannedRefusal)
  );
}

/** What a search of the pool found: how its units fared, and the last refusal. */
export interface PoolSearch {
  poolSize: number;
  /** Not searched: given as already tried (a reroute's declining unit, its alternatives tried first). */
  skipped: number;
  tried: number;
  /** Left out: the match says they have no machine for the step, or they take no work. */
  ruledOut: number;
  /** Not tried: past the limit of tries. */
  untried: number;
  lastRefusal: string | null;
}

export function describeSearch(s: PoolSearch, except?: string): string {
  const parts: string[] = [];
  if (s.skipped > 0) parts.push(`${s.skipped} declined it or tried before`);
  parts.push(`${s.tried} tried`);
  if (s.ruledOut > 0) parts.push(`${s.ruledOut} with no machine for the step or taking no work`);
  if (s.untried > 0) parts.push(`${s.untried} not tried (limit of tries reached)`);
  const last = s.lastRefusal && s.lastRefusal !== except ? ` (last refusal: ${s.lastRefusal})` : '';
  return `its ${s.poolSize} unit${s.poolSize === 1 ? '' : 's'}: ${parts.join(', ')}${last}`;
}
