import { describe, expect, it } from '@jest/globals';
import type { PlanStep, ProductionPlan } from '#libs/contracts/src/production/views.js';
import { nextCandidateStep } from './plan.js';

const at = (fabUnitId: string, stepIndex = 0): PlanStep => ({
  stepIndex,
  fabUnitId,
  fabUnitName: `Lab ${fabUnitId}`,
  machineId: `m-${fabUnitId}`,
  process: '3d-printing',
  machineProcess: '3d-printing.fdm',
  material: 'pla',
  minutes: 60,
  materialQuantity: 10,
  materialUnit: 'g',
  start: '2026-12-01T08:00:00.000Z',
  completion: '2026-12-01T09:00:00.000Z',
});
const plan = (...steps: PlanStep[]): ProductionPlan => ({
  kind: steps.length > 1 && steps.some((s) => s.fabUnitId !== steps[0]!.fabUnitId) ? 'split' : 'candidate',
  fabUnitIds: [...new Set(steps.map((s) => s.fabUnitId))],
  completion: '2026-12-01T09:00:00.000Z',
  steps,
  cost: { machineMinutes: {}, materials: {} },
});

describe('the next candidate of a declined step', () => {
  const alternatives = [plan(at('near')), plan(at('b')), plan(at('c', 0), at('d', 1))];

  it('the first alternative, in rank order, at a unit not tried yet', () => {
    expect(nextCandidateStep(alternatives, 0, new Set())?.fabUnitId).toBe('near');
    expect(nextCandidateStep(alternatives, 0, new Set(['near']))?.fabUnitId).toBe('b');
    expect(nextCandidateStep(alternatives, 1, new Set())?.fabUnitId).toBe('d');
    expect(nextCandidateStep(alternatives, 0, new Set(['near', 'b', 'c']))).toBeNull();
  });

  it("with the funding round's pool: only its units, however well another ranks", () => {
    expect(nextCandidateStep(alternatives, 0, new Set(), new Set(['b', 'c']))?.fabUnitId).toBe('b');
    expect(nextCandidateStep(alternatives, 0, new Set(['b']), new Set(['b', 'c']))?.fabUnitId).toBe('c');
    expect(nextCandidateStep(alternatives, 0, new Set(), new Set(['a']))).toBeNull();
  });
});
