import type { ManufacturingStep } from '#libs/contracts/src/commons/design-version.js';
import type { MatchCandidate, MatchResult, SplitPlan, StepAssignment } from '#libs/contracts/src/fabrication/matching.js';
import type { PlanStep, ProductionPlan } from '#libs/contracts/src/production/views.js';

/**
 * Turns fabrication's match answer into production plans: the chosen one (the best ranked)
 * and the alternatives, best first (a declined job is rerouted along them). Material per step
 * comes from the design version's requirements × quantity (the match books machine time).
 */
export function plansFromMatch(match: MatchResult, requirements: readonly ManufacturingStep[], quantity: number): ProductionPlan[] {
  const fromCandidate = (c: MatchCandidate): ProductionPlan => ({
    kind: 'candidate',
    fabUnitIds: [c.unitId],
    completion: c.completion,
    steps: c.steps.map((s) => planStep(s, c.unitId, c.unitName, requirements, quantity)),
    cost: c.cost,
  });
  const fromSplit = (p: SplitPlan): ProductionPlan => ({
    kind: 'split',
    fabUnitIds: p.parts.map((part) => part.unitId),
    completion: p.completion,
    steps: p.parts
      .flatMap((part) => part.steps.map((s) => planStep(s, part.unitId, part.unitName, requirements, quantity)))
      .sort((a, b) => a.stepIndex - b.stepIndex),
    cost: p.cost,
  });
  return [...match.candidates.map(fromCandidate), ...match.splitPlans.map(fromSplit)];
}

function planStep(
  s: StepAssignment,
  fabUnitId: string,
  fabUnitName: string,
  requirements: readonly ManufacturingStep[],
  quantity: number,
): PlanStep {
  const req = requirements[s.stepIndex];
  return {
    stepIndex: s.stepIndex,
    fabUnitId,
    fabUnitName,
    machineId: s.machineId,
    process: s.process,
    machineProcess: s.machineProcess,
    material: s.material,
    minutes: s.minutes,
    materialQuantity: req ? round6(req.materialQuantityPerUnit * quantity) : 0,
    materialUnit: req?.materialUnit ?? 'pcs',
    ...(req?.envelopeMm ? { envelopeMm: req.envelopeMm } : {}),
    start: s.start,
    completion: s.completion,
  };
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * The step to reroute a declined job to: the same step of the first alternative, in rank
 * order, at a unit not tried for it yet — and, when `allowed` is given (the funding round's
 * pool), at one of those units only.
 */
export function nextCandidateStep(
  alternatives: readonly ProductionPlan[],
  stepIndex: number,
  triedUnits: ReadonlySet<string>,
  allowed?: ReadonlySet<string>,
): PlanStep | null {
  for (const plan of alternatives) {
    const step = plan.steps.find((s) => s.stepIndex === stepIndex);
    if (step && !triedUnits.has(step.fabUnitId) && (!allowed || allowed.has(step.fabUnitId))) return step;
  }
  return null;
}
