/**
 * The matching engine: which fab units can make quantity × design version near a place by a
 * date, ranked, with the reason every other nearby unit was left out.
 *
 * Hard rules, checked in this order so an exclusion names the first one that failed:
 *   1. status     the unit is Active
 *   2. distance   it has coordinates and is within maxDistanceKm (great circle)
 *   3. process    every step has an available machine of its process or a sub-process
 *   4. envelope   … one of which fits the step's envelope (x/y may swap, z may not)
 *   5. material   … and works the step's material
 *   6. stock      unreserved stock covers every material for the whole quantity
 *   7. time       the steps fit in the machines' free time before needBy
 * Rules 3–5 are checked rule by rule across all steps (a missing laser cutter is reported
 * before a printer that is too small); within a rule the first step in design order wins.
 *
 * Steps run in the listed order at one unit, each starting when the previous completes (a
 * design's steps usually feed each other: print, then assemble); each goes to the machine of
 * that unit that finishes it earliest. One step runs on one machine.
 *
 * Ranking: earliest completion, then distance, then successful builds of this design at the
 * unit (more first), then unit id so equal inputs give equal answers.
 *
 * Cost: O(units × machines × steps) plus, per machine considered, a binary search and a walk
 * over the free intervals it actually uses; no interval set is built or compared pairwise.
 */
import type { ExclusionRule, MatchCandidate, MatchExclusion, MatchResult } from '#libs/contracts/src/fabrication/matching.js';
import { haversineKm, isGeoPoint } from '../geo/haversine.js';
import { closedUntil } from '../schedule/closures.js';
import { minutesBetween } from '../schedule/free-time.js';
import {
  distanceReason,
  envelopeReason,
  materialReason,
  processReason,
  statusReason,
  stockReason,
  timeReason,
} from './explanations.js';
import { costOf, demandOf, materialNeeds, type MaterialNeed } from './cost-vector.js';
import {
  assignment,
  cmp,
  covers,
  envelopeFits,
  offers,
  placeStep,
  prepareSteps,
  stockOf,
  volume,
  type Placement,
  type PreparedStep,
  type ScreenedUnit,
} from './machine-fit.js';
import type { MatchInput, MatchMachine, MatchUnit } from './match-input.js';
import { validateMatchInput } from './match-input.js';
import { planSplits } from './split-plan.js';
import { isoUtc } from './iso-utc.js';

export type { MatchInput, MatchMachine, MatchOptions, MatchStock, MatchUnit } from './match-input.js';
export { validateMatchInput } from './match-input.js';

export const DEFAULT_EXPLAIN_NEAREST = 20;

/** The reason is written only for the units that get explained (the nearest), not for every unit left out. */
interface Failure {
  rule: ExclusionRule;
  reason: () => string;
  stepIndex?: number;
}

type Excluded = Omit<MatchExclusion, 'reason'> & { reason: () => string; rawDistance: number | null };

export function matchDesign(input: MatchInput): MatchResult {
  const problems = validateMatchInput(input);
  if (problems.length) throw new RangeError(`invalid match input: ${problems.join('; ')}`);

  const steps = prepareSteps(input.requirements, input.quantity);
  const needs = materialNeeds(steps);
  const candidates: Scheduled[] = [];
  const excluded: Excluded[] = [];
  const screenedUnits: ScreenedUnit[] = [];

  for (const unit of input.units) {
    const point = unit.location && isGeoPoint(unit.location) ? unit.location : null;
    const distanceKm = point ? haversineKm(input.location, point) : null;
    const exclude = (f: Failure) => excluded.push(exclusion(unit, distanceKm, f));

    if (unit.status !== 'Active') {
      exclude({ rule: 'status', reason: () => statusReason(unit.status, closedUntil(unit.closures, input.now, unit.timezone), unit.timezone) });
      continue;
    }
    if (distanceKm === null || distanceKm > input.maxDistanceKm) {
      exclude({ rule: 'distance', reason: () => distanceReason(distanceKm, input.maxDistanceKm) });
      continue;
    }
    const screened = screenMachines(unit, steps);
    if ('rule' in screened) {
      exclude(screened);
      // A unit lacking one step may still do another in a split plan.
      if (screened.partial) screenedUnits.push({ unit, distanceKm, capable: screened.partial });
      continue;
    }
    const s: ScreenedUnit = { unit, distanceKm, capable: screened.capable };
    screenedUnits.push(s);

    const stockFailure = checkStock(unit, needs);
    if (stockFailure) {
      exclude(stockFailure);
      continue;
    }
    const scheduled = scheduleSteps(s, steps, input.now, input.needBy);
    if ('rule' in scheduled) {
      exclude(scheduled);
      continue;
    }
    candidates.push(scheduled);
  }

  candidates.sort(
    (a, b) =>
      a.completion - b.completion ||
      a.s.distanceKm - b.s.distanceKm ||
      b.s.unit.successfulBuilds - a.s.unit.successfulBuilds ||
      cmp(a.s.unit.id, b.s.unit.id),
  );
  const explained = explainNearest(
    candidates.map((c) => ({ unitId: c.s.unit.id, rawDistance: c.s.distanceKm })),
    excluded,
    input.options?.explainNearest ?? DEFAULT_EXPLAIN_NEAREST,
  );
  const maxCandidates = input.options?.maxCandidates;
  const kept = maxCandidates === undefined ? candidates : candidates.slice(0, Math.max(0, maxCandidates));

  const splitPlans =
    candidates.length === 0 && steps.length > 1
      ? planSplits({ steps, needs, units: screenedUnits, now: input.now, needBy: input.needBy, options: input.options })
      : [];

  return {
    quantity: input.quantity,
    needBy: input.needBy.toISOString(),
    location: { lat: input.location.lat, lon: input.location.lon },
    maxDistanceKm: input.maxDistanceKm,
    demand: demandOf(steps, needs),
    // ISO strings only for what is returned: building them is most of the cost of a candidate.
    candidates: kept.map((c) => toCandidate(c, needs)),
    splitPlans,
    exclusions: explained,
    counts: {
      units: input.units.length,
      matched: candidates.length,
      excluded: excluded.length,
      explained: explained.length,
    },
  };
}

/**
 * Rules 3–5. Also returns, for a failing unit, the machines it has for the steps it can do,
 * so split plans need not screen it again.
 */
function screenMachines(
  unit: MatchUnit,
  steps: readonly PreparedStep[],
): { capable: MatchMachine[][] } | (Failure & { partial?: MatchMachine[][] }) {
  const ofProcess: MatchMachine[][] = [];
  const fitting: MatchMachine[][] = [];
  const capable: MatchMachine[][] = [];
  for (const step of steps) {
    const p: MatchMachine[] = [];
    const f: MatchMachine[] = [];
    const c: MatchMachine[] = [];
    for (const m of unit.machines) {
      if (m.status !== 'available' || !offers(m.process, step.process)) continue;
      p.push(m);
      if (!envelopeFits(m.envelopeMm, step.envelope)) continue;
      f.push(m);
      if (m.materials.includes(step.material)) c.push(m);
    }
    ofProcess.push(p);
    fitting.push(f);
    capable.push(c);
  }
  const partial = capable.some((c) => c.length) ? capable : undefined;

  const noProcess = ofProcess.findIndex((p) => p.length === 0);
  if (noProcess >= 0) {
    const step = steps[noProcess];
    const unavailable = { maintenance: 0, retired: 0 };
    for (const m of unit.machines) {
      if (m.status !== 'available' && offers(m.process, step.process)) unavailable[m.status]++;
    }
    return { rule: 'process', stepIndex: noProcess, reason: () => processReason(step.process, unavailable), partial };
  }
  const noFit = fitting.findIndex((f) => f.length === 0);
  if (noFit >= 0) {
    const step = steps[noFit];
    let largest: MatchMachine | undefined;
    for (const m of ofProcess[noFit]) {
      if (m.envelopeMm && (!largest || volume(m.envelopeMm) > volume(largest.envelopeMm!))) largest = m;
    }
    return { rule: 'envelope', stepIndex: noFit, reason: () => envelopeReason(step.process, largest?.envelopeMm, step.envelope!), partial };
  }
  const noMaterial = capable.findIndex((c) => c.length === 0);
  if (noMaterial >= 0) {
    const step = steps[noMaterial];
    return { rule: 'material', stepIndex: noMaterial, reason: () => materialReason(step.process, step.material), partial };
  }
  return { capable };
}

/** Rule 6: every material for the whole quantity, steps sharing a material summed. */
function checkStock(unit: MatchUnit, needs: readonly MaterialNeed[]): Failure | null {
  for (const need of needs) {
    const have = stockOf(unit.stock, need.material, need.unit);
    if (have === null || !covers(have, need.quantity)) {
      const shown = have === null ? null : Number(have.toPrecision(12));
      return { rule: 'stock', stepIndex: need.stepIndex, reason: () => stockReason(need.material, shown, need.quantity, need.unit) };
    }
  }
  return null;
}

/** A unit that can make it: its steps placed, times still as numbers. */
interface Scheduled {
  s: ScreenedUnit;
  placements: { step: PreparedStep; placed: Placement; notBefore: Date }[];
  completion: number;
}

/** Rule 7: the steps one after another, each on the machine that finishes it first. */
function scheduleSteps(s: ScreenedUnit, steps: readonly PreparedStep[], now: Date, needBy: Date): Scheduled | Failure {
  const placements: Scheduled['placements'] = [];
  let notBefore = now;
  for (const step of steps) {
    const placed = placeStep(s.capable[step.index], step.minutes, notBefore, needBy);
    if (!placed) {
      const prev = placements[placements.length - 1];
      const after = notBefore;
      return {
        rule: 'time',
        stepIndex: step.index,
        reason: () => {
          let free = 0;
          for (const m of s.capable[step.index]) free = Math.max(free, minutesBetween(m.freeIntervals, after, needBy));
          return timeReason({
            process: step.process,
            neededMinutes: step.minutes,
            freeMinutes: free,
            needBy,
            after: prev ? { process: prev.step.process, completion: after } : undefined,
            closedUntil: closedUntil(s.unit.closures, now, s.unit.timezone),
            zone: s.unit.timezone,
          });
        },
      };
    }
    placements.push({ step, placed, notBefore });
    notBefore = placed.completion;
  }
  return { s, placements, completion: notBefore.getTime() };
}

function toCandidate(c: Scheduled, needs: readonly MaterialNeed[]): MatchCandidate {
  const steps = c.placements.map((p) => assignment(p.step, p.placed, p.notBefore));
  return {
    split: false,
    unitId: c.s.unit.id,
    unitName: c.s.unit.name,
    distanceKm: round2(c.s.distanceKm),
    completion: isoUtc(c.completion),
    successfulBuilds: c.s.unit.successfulBuilds,
    steps,
    cost: costOf(steps, needs),
  };
}

/**
 * The N units nearest the requester, matched or not; those excluded are explained, nearest
 * first. Units without coordinates come last (they have no distance to rank by).
 */
function explainNearest(
  candidates: readonly { unitId: string; rawDistance: number }[],
  excluded: readonly Excluded[],
  n: number,
): MatchExclusion[] {
  const all: { unitId: string; d: number; exclusion?: Excluded }[] = [
    ...candidates.map((c) => ({ unitId: c.unitId, d: c.rawDistance })),
    ...excluded.map((e) => ({ unitId: e.unitId, d: e.rawDistance ?? Number.POSITIVE_INFINITY, exclusion: e })),
  ];
  all.sort((a, b) => a.d - b.d || cmp(a.unitId, b.unitId));
  const out: MatchExclusion[] = [];
  for (const entry of all.slice(0, Math.max(0, n))) {
    if (!entry.exclusion) continue;
    const { rawDistance: _d, reason, ...e } = entry.exclusion;
    out.push({ ...e, reason: reason() });
  }
  return out;
}

function exclusion(unit: MatchUnit, distanceKm: number | null, f: Failure): Excluded {
  return {
    unitId: unit.id,
    unitName: unit.name,
    distanceKm: distanceKm === null ? null : round2(distanceKm),
    rawDistance: distanceKm,
    rule: f.rule,
    ...(f.stepIndex === undefined ? {} : { stepIndex: f.stepIndex }),
    reason: f.reason,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
