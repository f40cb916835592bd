import { describe, expect, it } from '@jest/globals';
import type { MatchCandidate, MatchExclusion, MatchResult, SplitPlan, StepAssignment } from '#libs/contracts/src/fabrication/matching.js';
import { describeMoves, describeSearch, poolPlacementOrder, poolRefusalReason } from './pool-placement.js';

const step = (stepIndex: number): StepAssignment => ({
  stepIndex,
  process: '3d-printing',
  material: 'pla',
  machineId: `m-${stepIndex}`,
  machineProcess: '3d-printing.fdm',
  minutes: 60,
  slots: [],
  start: '2026-12-01T08:00:00.000Z',
  completion: '2026-12-01T09:00:00.000Z',
});
const candidate = (unitId: string, steps = [0]): MatchCandidate => ({
  split: false,
  unitId,
  unitName: `Lab ${unitId}`,
  distanceKm: 1,
  completion: '2026-12-01T09:00:00.000Z',
  successfulBuilds: 0,
  steps: steps.map(step),
  cost: { machineMinutes: {}, materials: {} },
});
const excluded = (unitId: string, rule: MatchExclusion['rule'], stepIndex?: number): MatchExclusion => ({
  unitId,
  unitName: `Lab ${unitId}`,
  distanceKm: 2,
  rule,
  ...(stepIndex === undefined ? {} : { stepIndex }),
  reason: `${rule} says no`,
});
const match = (over: Partial<MatchResult>): MatchResult => ({
  quantity: 1,
  needBy: '2026-12-02T00:00:00.000Z',
  location: { lat: 50, lon: 3 },
  maxDistanceKm: 20_000,
  demand: { machineMinutes: {}, materials: {} },
  candidates: [],
  splitPlans: [],
  exclusions: [],
  counts: { units: 0, matched: 0, excluded: 0, explained: 0 },
  ...over,
});
const none = new Set<string>();
const ids = (units: { fabUnitId: string }[]) => units.map((u) => u.fabUnitId);

describe('which units of a pool a step is tried on, and in what order', () => {
  it("the match's candidates first, in its ranking, then the pool's other units", () => {
    const order = poolPlacementOrder(match({ candidates: [candidate('b'), candidate('a')] }), 0, ['a', 'b', 'c'], none);
    expect(order).toEqual([
      { fabUnitId: 'b', fabUnitName: 'Lab b' },
      { fabUnitId: 'a', fabUnitName: 'Lab a' },
      { fabUnitId: 'c', fabUnitName: null },
    ]);
  });

  it('never a unit outside the pool, however well the match ranks it', () => {
    expect(ids(poolPlacementOrder(match({ candidates: [candidate('near'), candidate('b')] }), 0, ['a', 'b'], none))).toEqual(['b', 'a']);
  });

  it('leaves out the units given as tried', () => {
    expect(ids(poolPlacementOrder(match({ candidates: [candidate('a'), candidate('b')] }), 0, ['a', 'b', 'c'], new Set(['a', 'c'])))).toEqual(['b']);
  });

  it('leaves out units the match rules out for this step (no machine, envelope, material, or not Active)', () => {
    const m = match({
      exclusions: [excluded('p', 'process', 0), excluded('e', 'envelope', 0), excluded('m', 'material', 0), excluded('s', 'status')],
    });
    expect(ids(poolPlacementOrder(m, 0, ['e', 'm', 'p', 's', 'z'], none))).toEqual(['z']);
  });

  it('still tries units excluded for stock or time, or for another step, with their names', () => {
    const m = match({ exclusions: [excluded('t', 'time', 0), excluded('k', 'stock', 0), excluded('o', 'material', 1)] });
    expect(poolPlacementOrder(m, 0, ['k', 'o', 't'], none)).toEqual([
      { fabUnitId: 'k', fabUnitName: 'Lab k' },
      { fabUnitId: 'o', fabUnitName: 'Lab o' },
      { fabUnitId: 't', fabUnitName: 'Lab t' },
    ]);
  });

  it('the units of split plans that do this step come after the candidates', () => {
    const split: SplitPlan = {
      split: true,
      parts: [
        { unitId: 'x', unitName: 'Lab x', distanceKm: 1, steps: [step(0)] },
        { unitId: 'y', unitName: 'Lab y', distanceKm: 1, steps: [step(1)] },
      ],
      completion: '2026-12-01T10:00:00.000Z',
      totalDistanceKm: 2,
      cost: { machineMinutes: {}, materials: {} },
    };
    const m = match({ splitPlans: [split] });
    expect(ids(poolPlacementOrder(m, 1, ['x', 'y'], none))).toEqual(['y', 'x']);
    expect(ids(poolPlacementOrder(m, 0, ['x', 'y'], none))).toEqual(['x', 'y']);
  });

  it('with no match (fabrication refused the query): the pool in its order', () => {
    expect(poolPlacementOrder(null, 0, ['a', 'b'], new Set(['a']))).toEqual([{ fabUnitId: 'b', fabUnitName: null }]);
  });
});

describe('what the request records', () => {
  it('a step moved to another unit of the pool, or to another machine of the planned unit', () => {
    const from = { fabUnitId: 'a', fabUnitName: 'Lab A', machineId: 'ma' };
    expect(describeMoves([{ stepIndex: 0, process: '3d-printing.fdm', minutes: 60, from, to: { fabUnitId: 'b', fabUnitName: 'Lab B', machineId: 'mb' } }])).toBe(
      "step 1 (60 minutes of 3d-printing.fdm) moved from Lab A, the planned unit, to Lab B, another unit of the round's pool: the planned machine had no room",
    );
    expect(describeMoves([{ stepIndex: 1, process: 'laser-cutting', minutes: 5, from, to: { ...from, machineId: 'ma2' } }])).toBe(
      'step 2 (5 minutes of laser-cutting) moved to another machine of Lab A (ma2): the planned machine had no room',
    );
  });

  it('a failure names the planned refusal, the process, the period and the pool searched', () => {
    const reason = poolRefusalReason({
      plannedUnitName: 'Lab A',
      plannedRefusal: 'No 60 free minutes for 3d-printing.fdm at Lab A between x and y',
      stepIndex: 0,
      process: '3d-printing.fdm',
      minutes: 60,
      period: { from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' },
      deadline: '2026-12-02T00:00:00.000Z',
      search: { poolSize: 3, skipped: 0, tried: 2, ruledOut: 1, untried: 0, lastRefusal: 'No 60 free minutes at Lab B' },
    });
    expect(reason).toBe(
      'No reservation could be placed at Lab A: No 60 free minutes for 3d-printing.fdm at Lab A between x and y; ' +
        "nor on any other machine of the round's pool for step 1, 60 minutes of 3d-printing.fdm inside the round's period (2026-12-01T00:00:00.000Z to 2026-12-02T00:00:00.000Z): " +
        'its 3 units: 2 tried, 1 with no machine for the step or taking no work (last refusal: No 60 free minutes at Lab B)',
    );
  });

  it('a search says what was skipped and what the limit left untried; a repeated refusal is not said twice', () => {
    expect(describeSearch({ poolSize: 30, skipped: 1, tried: 20, ruledOut: 0, untried: 9, lastRefusal: 'full' }, 'full')).toBe(
      'its 30 units: 1 declined it or tried before, 20 tried, 9 not tried (limit of tries reached)',
    );
    expect(describeSearch({ poolSize: 1, skipped: 0, tried: 1, ruledOut: 0, untried: 0, lastRefusal: null })).toBe('its 1 unit: 1 tried');
  });
});
