import { describe, expect, it } from '@jest/globals';
import { DEFAULT_COUNCIL_RULES, type CouncilRules } from '#libs/contracts/src/council/index.js';
import { snapshotBudget, stepsTooLongForAnyMachine } from './round-budget.js';

const rules: CouncilRules = {
  ...DEFAULT_COUNCIL_RULES,
  rates: { machineHour: { '3d-printing.fdm': '6', 'laser-cutting': '30' }, material: {} },
};
const pool = {
  from: '2026-03-01T00:00:00.000Z',
  to: '2026-03-02T00:00:00.000Z',
  fabUnitIds: ['u1', 'u2'],
  machineMinutes: { '3d-printing.fdm': 480, 'laser-cutting': 90 },
  materials: {},
};

describe('the freest machine per process, in the round budget', () => {
  it('is the largest single machine, not the sum', () => {
    const budget = snapshotBudget(
      {
        ...pool,
        machines: [
          { process: '3d-printing.fdm', freeMinutes: 240 },
          { process: '3d-printing.fdm', freeMinutes: 180 },
          { process: '3d-printing.fdm', freeMinutes: 60 },
          { process: 'laser-cutting', freeMinutes: 90 },
          { process: 'laser-cutting', freeMinutes: 0 },
        ],
      },
      rules,
    );
    expect(budget.largestMachineMinutes).toEqual({ '3d-printing.fdm': 240, 'laser-cutting': 90 });
    expect(budget.machineMinutes).toEqual(pool.machineMinutes);
  });

  it('is absent when fabrication did not say per machine', () => {
    expect(snapshotBudget(pool, rules)).not.toHaveProperty('largestMachineMinutes');
  });
});

describe('steps too long for any one pooled machine', () => {
  const largest = { '3d-printing.fdm': 240, 'laser-cutting': 90 };
  const cases: [string, { stepIndex: number; process: string; minutes: number }[], { stepIndex: number; largestMachineMinutes: number }[]][] = [
    ['a step that fits the freest machine exactly', [{ stepIndex: 0, process: '3d-printing.fdm', minutes: 240 }], []],
    ['a step longer than every machine though the pool sums enough', [{ stepIndex: 0, process: '3d-printing.fdm', minutes: 300 }], [{ stepIndex: 0, largestMachineMinutes: 240 }]],
    ['a parent process is run by a sub-process machine', [{ stepIndex: 0, process: '3d-printing', minutes: 200 }], []],
    ['no pooled machine of the process at all', [{ stepIndex: 1, process: 'cnc-milling', minutes: 10 }], [{ stepIndex: 1, largestMachineMinutes: 0 }]],
    [
      'each step is judged on its own',
      [
        { stepIndex: 0, process: 'laser-cutting', minutes: 91 },
        { stepIndex: 1, process: '3d-printing.fdm', minutes: 120 },
      ],
      [{ stepIndex: 0, largestMachineMinutes: 90 }],
    ],
    ['no steps known', [], []],
  ];
  it.each(cases)('%s', (_name, steps, expected) => {
    expect(stepsTooLongForAnyMachine(steps, largest)).toEqual(expected.map((e) => expect.objectContaining(e)));
  });

  it('names the step, its minutes and the best machine', () => {
    expect(stepsTooLongForAnyMachine([{ stepIndex: 2, process: '3d-printing.fdm', minutes: 300 }], largest)).toEqual([
      { stepIndex: 2, process: '3d-printing.fdm', minutes: 300, largestMachineMinutes: 240 },
    ]);
  });
});
