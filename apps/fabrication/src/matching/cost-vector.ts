/**
 * Cost vectors (see CostVector in libs/contracts): what the request consumes, and what a
 * placement of it consumes.
 */
import type { CostVector, StepAssignment } from '#libs/contracts/src/fabrication/matching.js';
import { convertQuantity } from '#libs/taxonomy/src/index.js';
import type { PreparedStep } from './machine-fit.js';

/** A material the request consumes, summed over the steps that use it. */
export interface MaterialNeed {
  /** Cost-vector key: the material id (with `@unit` only if steps use it in two dimensions). */
  key: string;
  material: string;
  quantity: number;
  unit: string;
  /** The first step using it: where a stock failure is reported. */
  stepIndex: number;
}

/**
 * Per material, the quantity over all steps, in the unit of the first step using it.
 * A material asked for in two dimensions (grams here, pieces there) cannot be summed and
 * keeps one entry per dimension.
 */
export function materialNeeds(steps: readonly PreparedStep[]): MaterialNeed[] {
  const needs: MaterialNeed[] = [];
  for (const step of steps) {
    if (!(step.materialQuantity > 0)) continue;
    let merged = false;
    for (const need of needs) {
      if (need.material !== step.material) continue;
      try {
        need.quantity = Number((need.quantity + convertQuantity(step.materialQuantity, step.unit, need.unit)).toPrecision(12));
        merged = true;
        break;
      } catch {
        // other dimension: try the next entry of this material, or start one
      }
    }
    if (merged) continue;
    const first = !needs.some((n) => n.material === step.material);
    needs.push({
      key: first ? step.material : `${step.material}@${step.unit}`,
      material: step.material,
      quantity: step.materialQuantity,
      unit: step.unit,
      stepIndex: step.index,
    });
  }
  return needs;
}

export function materialsOf(needs: readonly MaterialNeed[]): CostVector['materials'] {
  const out: CostVector['materials'] = {};
  for (const n of needs) out[n.key] = { quantity: n.quantity, unit: n.unit };
  return out;
}

/** The request's cost: minutes per required process. */
export function demandOf(steps: readonly PreparedStep[], needs: readonly MaterialNeed[]): CostVector {
  const machineMinutes: Record<string, number> = {};
  for (const s of steps) machineMinutes[s.process] = (machineMinutes[s.process] ?? 0) + s.minutes;
  return { machineMinutes, materials: materialsOf(needs) };
}

/** A placement's cost: minutes per process of the machines chosen. */
export function costOf(assignments: readonly StepAssignment[], needs: readonly MaterialNeed[]): CostVector {
  const machineMinutes: Record<string, number> = {};
  for (const a of assignments) machineMinutes[a.machineProcess] = (machineMinutes[a.machineProcess] ?? 0) + a.minutes;
  return { machineMinutes, materials: materialsOf(needs) };
}

