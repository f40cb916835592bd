import { describe, expect, it } from '@jest/globals';
import type { ManufacturingStep } from '#libs/contracts/src/commons/design-version.js';
import type { WeeklySchedule } from '#libs/contracts/src/fabrication/schedule.js';
import { availableIntervals } from '../schedule/opening-hours.js';
import { freeIntervals } from '../schedule/free-time.js';
import { matchDesign } from './match-engine.js';
import type { MatchInput, MatchMachine, MatchUnit } from './match-input.js';

// Monday 2 November 2026, need by Monday 9 November: one working week.
const NOW = new Date('2026-11-02T00:00:00Z');
const NEED_BY = new Date('2026-11-09T00:00:00Z');
const HERE = { lat: 50.63, lon: 3.06 }; // Lille
const WEEKDAYS: WeeklySchedule = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ open: '09:00', close: '17:00' }]]),
);
/** Mon–Fri 09:00–17:00 UTC this week: 40 h. */
const WEEK = availableIntervals(WEEKDAYS, 'UTC', [], NOW, NEED_BY);
const at = (iso: string) => new Date(iso);

function machine(id: string, process: string, over: Partial<MatchMachine> = {}): MatchMachine {
  return {
    id,
    process,
    envelopeMm: { x: 300, y: 300, z: 300 },
    materials: ['pla', 'petg', 'plywood', 'acrylic'],
    status: 'available',
    freeIntervals: WEEK,
    ...over,
  };
}

/** `km` north of the requester (1° of latitude ≈ 111.195 km). */
function unit(id: string, km: number, machines: MatchMachine[], over: Partial<MatchUnit> = {}): MatchUnit {
  return {
    id,
    name: `Lab ${id}`,
    status: 'Active',
    location: { lat: HERE.lat + km / 111.195, lon: HERE.lon },
    timezone: 'UTC',
    closures: [],
    successfulBuilds: 0,
    stock: [
      { material: 'pla', quantity: 10, unit: 'kg' },
      { material: 'plywood', quantity: 20, unit: 'm2' },
    ],
    machines,
    ...over,
  };
}

const PRINT: ManufacturingStep = {
  process: '3d-printing.fdm',
  material: 'pla',
  envelopeMm: { x: 200, y: 200, z: 100 },
  machineMinutesPerUnit: 60,
  materialQuantityPerUnit: 100,
  materialUnit: 'g',
};
const CUT: ManufacturingStep = {
  process: 'laser-cutting',
  material: 'plywood',
  machineMinutesPerUnit: 30,
  materialQuantityPerUnit: 0.25,
  materialUnit: 'm2',
};

function input(units: MatchUnit[], over: Partial<MatchInput> = {}): MatchInput {
  return { requirements: [PRINT], quantity: 1, location: HERE, needBy: NEED_BY, now: NOW, maxDistanceKm: 200, units, ...over };
}

describe('process hierarchy', () => {
  it.each<[string, string, boolean]>([
    ['3d-printing', '3d-printing.fdm', true],
    ['3d-printing', '3d-printing.sla', true],
    ['3d-printing.fdm', '3d-printing.fdm', true],
    ['3d-printing.sla', '3d-printing.fdm', false],
    ['3d-printing.fdm', '3d-printing', false],
    ['laser-cutting', 'laser-cutting', true],
    ['laser-cutting', 'cnc-milling', false],
  ])('a %s step on a %s machine: matched %s', (required, offered, matched) => {
    const r = matchDesign(
      input([unit('a', 1, [machine('m', offered)])], {
        requirements: [{ ...PRINT, process: required }],
      }),
    );
    expect(r.candidates.length).toBe(matched ? 1 : 0);
    if (!matched) expect(r.exclusions[0]).toMatchObject({ rule: 'process', reason: `no machine for ${required}` });
    else expect(r.candidates[0].steps[0]).toMatchObject({ process: required, machineProcess: offered });
  });
});

describe('exclusions: the first failing rule, for an engineer', () => {
  const ok = () => [machine('p1', '3d-printing.fdm')];
  it.each<[string, MatchUnit, Partial<MatchInput>, string, string, number | undefined]>([
    ['status Planned', unit('u', 1, ok(), { status: 'Planned' }), {}, 'status', 'status Planned', undefined],
    ['status Closed', unit('u', 1, ok(), { status: 'Closed' }), {}, 'status', 'status Closed', undefined],
    [
      'temporary closure with a known end (local dates)',
      unit('u', 1, ok(), { status: 'Temporary Closure', timezone: 'Europe/Paris', closures: [{ from: '2026-10-01', to: '2026-11-30' }] }),
      {},
      'status',
      'closed until 2026-12-01',
      undefined,
    ],
    [
      'temporary closure without an end',
      unit('u', 1, ok(), { status: 'Temporary Closure' }),
      {},
      'status',
      'temporarily closed, no reopening date',
      undefined,
    ],
    ['too far', unit('u', 250, ok()), {}, 'distance', '250.0 km away > 200.0 km max', undefined],
    ['no coordinates', unit('u', 1, ok(), { location: { lat: null, lon: null } }), {}, 'distance', 'not locatable: no coordinates', undefined],
    ['no machine of the process', unit('u', 1, [machine('l', 'laser-cutting')]), {}, 'process', 'no machine for 3d-printing.fdm', 0],
    [
      'the only machines are out of service',
      unit('u', 1, [machine('a', '3d-printing.fdm', { status: 'maintenance' }), machine('b', '3d-printing.fdm', { status: 'retired' })]),
      {},
      'process',
      'no available machine for 3d-printing.fdm (1 in maintenance, 1 retired)',
      0,
    ],
    [
      'envelope too small',
      unit('u', 1, [
        machine('a', '3d-printing.fdm', { envelopeMm: { x: 220, y: 220, z: 250 } }),
        machine('b', '3d-printing.fdm', { envelopeMm: { x: 180, y: 180, z: 180 } }),
      ]),
      { requirements: [{ ...PRINT, envelopeMm: { x: 300, y: 200, z: 100 } }] },
      'envelope',
      'largest 3d-printing.fdm envelope 220×220×250 mm < 300×200×100 mm needed',
      0,
    ],
    [
      'no rotation onto the side: z stays z',
      unit('u', 1, [machine('a', '3d-printing.fdm', { envelopeMm: { x: 300, y: 300, z: 50 } })]),
      { requirements: [{ ...PRINT, envelopeMm: { x: 100, y: 100, z: 200 } }] },
      'envelope',
      'largest 3d-printing.fdm envelope 300×300×50 mm < 100×100×200 mm needed',
      0,
    ],
    [
      'unknown envelope',
      unit('u', 1, [machine('a', '3d-printing.fdm', { envelopeMm: undefined })]),
      {},
      'envelope',
      'no 3d-printing.fdm machine with a known envelope (200×200×100 mm needed)',
      0,
    ],
    [
      'material not worked',
      unit('u', 1, [machine('a', '3d-printing.fdm', { materials: ['pla'] })]),
      { requirements: [{ ...PRINT, material: 'petg' }] },
      'material',
      'no 3d-printing.fdm machine works PETG',
      0,
    ],
    [
      'not enough stock, converted to the step unit',
      unit('u', 1, ok(), { stock: [{ material: 'pla', quantity: 0.2, unit: 'kg' }] }),
      { quantity: 12 },
      'stock',
      'PLA stock 200 g < 1,200 g needed',
      0,
    ],
    [
      'stock in another dimension does not count',
      unit('u', 1, ok(), { stock: [{ material: 'pla', quantity: 3, unit: 'pcs' }] }),
      {},
      'stock',
      'PLA stock 0 g < 100 g needed',
      0,
    ],
    ['no stock at all', unit('u', 1, ok(), { stock: [] }), {}, 'stock', 'no PLA in stock (100 g needed)', 0],
    [
      'not enough free time',
      unit('u', 1, [machine('l', 'laser-cutting', { freeIntervals: freeIntervals(WEEK, [{ start: NOW, end: at('2026-11-06T14:30:00Z') }]) })]),
      { requirements: [{ ...CUT, machineMinutesPerUnit: 36 }], quantity: 10 },
      'time',
      'laser-cutting needs 6.0 h before 2026-11-09, 2.5 h free',
      0,
    ],
    [
      'not enough free time, closed for the rest of the window',
      unit('u', 1, [machine('l', 'laser-cutting', { freeIntervals: [] })], { closures: [{ from: '2026-11-01', to: '2026-11-13' }] }),
      { requirements: [CUT], quantity: 2 },
      'time',
      'laser-cutting needs 1.0 h before 2026-11-09, 0.0 h free; closed until 2026-11-14',
      0,
    ],
  ])('%s', (_n, u, over, rule, reason, stepIndex) => {
    const r = matchDesign(input([u], over));
    expect(r.candidates).toEqual([]);
    expect(r.exclusions).toEqual([
      {
        unitId: 'u',
        unitName: 'Lab u',
        distanceKm: u.location?.lat == null ? null : expect.any(Number),
        rule,
        reason,
        ...(stepIndex === undefined ? {} : { stepIndex }),
      },
    ]);
  });

  it('x and y may swap (rotation about the vertical axis)', () => {
    const u = unit('u', 1, [machine('a', '3d-printing.fdm', { envelopeMm: { x: 200, y: 300, z: 100 } })]);
    expect(matchDesign(input([u], { requirements: [{ ...PRINT, envelopeMm: { x: 300, y: 200, z: 100 } }] })).candidates).toHaveLength(1);
  });

  it('rules are checked rule by rule across steps: a missing process beats a small envelope in an earlier step', () => {
    const u = unit('u', 1, [machine('a', '3d-printing.fdm', { envelopeMm: { x: 10, y: 10, z: 10 } })]);
    const r = matchDesign(input([u], { requirements: [PRINT, CUT] }));
    expect(r.exclusions[0]).toStrictEqual({
      unitId: 'u',
      unitName: 'Lab u',
      distanceKm: 1,
      rule: 'process',
      stepIndex: 1,
      reason: 'no machine for laser-cutting',
    });
  });

  it('a unit failing material and time is reported for material', () => {
    const u = unit('u', 1, [machine('a', '3d-printing.fdm', { materials: ['abs'], freeIntervals: [] })]);
    expect(matchDesign(input([u])).exclusions[0].rule).toBe('material');
  });

  it('stock for a material used by several steps is summed (in the first step unit)', () => {
    const u = unit('u', 1, [machine('a', '3d-printing.fdm')], { stock: [{ material: 'pla', quantity: 250, unit: 'g' }] });
    const r = matchDesign(input([u], { requirements: [PRINT, { ...PRINT, materialQuantityPerUnit: 0.2, materialUnit: 'kg' }] }));
    expect(r.exclusions[0]).toMatchObject({ rule: 'stock', reason: 'PLA stock 250 g < 300 g needed' });
    expect(r.demand.materials).toEqual({ pla: { quantity: 300, unit: 'g' } });
  });

  it('the time rule names the previous step when a later step runs out of time', () => {
    const printer = machine('p', '3d-printing.fdm');
    const laser = machine('l', 'laser-cutting', { freeIntervals: WEEK.slice(0, 1) }); // Monday only
    const r = matchDesign(input([unit('u', 1, [printer, laser])], { requirements: [{ ...PRINT, machineMinutesPerUnit: 600 }, CUT] }));
    expect(r.exclusions[0]).toMatchObject({
      rule: 'time',
      stepIndex: 1,
      reason: 'laser-cutting needs 0.5 h before 2026-11-09, 0.0 h free after 3d-printing.fdm ends 2026-11-03 11:00 UTC',
    });
  });
});

describe('candidates', () => {
  it('runs steps in order, each on the machine that finishes it first, pausing overnight', () => {
    const busyMonday = freeIntervals(WEEK, [{ start: NOW, end: at('2026-11-03T00:00:00Z') }]);
    const u = unit('u', 12.3, [
      machine('p-busy', '3d-printing.fdm', { freeIntervals: busyMonday, make: 'Prusa', model: 'MK4' }),
      machine('p-free', '3d-printing', { freeIntervals: WEEK }), // generic printer: not an FDM
      machine('p-fdm', '3d-printing.fdm', { freeIntervals: WEEK, make: 'Bambu', model: 'X1' }),
      machine('l', 'laser-cutting'),
    ]);
    const r = matchDesign(input([u], { requirements: [PRINT, CUT], quantity: 10 }));
    expect(r.candidates).toHaveLength(1);
    const c = r.candidates[0];
    expect(c).toMatchObject({ split: false, unitId: 'u', unitName: 'Lab u', distanceKm: 12.3, successfulBuilds: 0 });
    expect(c.steps).toEqual([
      {
        stepIndex: 0,
        process: '3d-printing.fdm',
        material: 'pla',
        machineId: 'p-fdm',
        machineProcess: '3d-printing.fdm',
        make: 'Bambu',
        model: 'X1',
        minutes: 600,
        slots: [
          { start: '2026-11-02T09:00:00.000Z', end: '2026-11-02T17:00:00.000Z' },
          { start: '2026-11-03T09:00:00.000Z', end: '2026-11-03T11:00:00.000Z' },
        ],
        start: '2026-11-02T09:00:00.000Z',
        completion: '2026-11-03T11:00:00.000Z',
      },
      {
        stepIndex: 1,
        process: 'laser-cutting',
        material: 'plywood',
        machineId: 'l',
        machineProcess: 'laser-cutting',
        minutes: 300,
        slots: [{ start: '2026-11-03T11:00:00.000Z', end: '2026-11-03T16:00:00.000Z' }],
        start: '2026-11-03T11:00:00.000Z',
        completion: '2026-11-03T16:00:00.000Z',
      },
    ]);
    expect(c.completion).toBe('2026-11-03T16:00:00.000Z');
    expect(c.cost).toEqual({
      machineMinutes: { '3d-printing.fdm': 600, 'laser-cutting': 300 },
      materials: { pla: { quantity: 1000, unit: 'g' }, plywood: { quantity: 2.5, unit: 'm2' } },
    });
  });

  it('costs the machine process per candidate and the required process in the demand', () => {
    const r = matchDesign(input([unit('u', 1, [machine('p', '3d-printing.sla', { materials: ['pla'] })])], {
      requirements: [{ ...PRINT, process: '3d-printing', machineMinutesPerUnit: 1.1 }],
      quantity: 10,
    }));
    // 1.1 × 10 is 11.000000000000002 in floating point: still 11 whole minutes.
    expect(r.demand.machineMinutes).toEqual({ '3d-printing': 11 });
    expect(r.candidates[0].cost.machineMinutes).toEqual({ '3d-printing.sla': 11 });
  });

  it('rounds fractional minutes up per step', () => {
    const r = matchDesign(input([unit('u', 1, [machine('p', '3d-printing.fdm')])], { requirements: [{ ...PRINT, machineMinutesPerUnit: 0.25 }], quantity: 3 }));
    expect(r.demand.machineMinutes).toEqual({ '3d-printing.fdm': 1 });
  });

  it.each<[string, MatchUnit[], string[]]>([
    [
      'earliest completion first',
      [
        unit('near-late', 1, [machine('m', '3d-printing.fdm', { freeIntervals: WEEK.slice(1) })]),
        unit('far-early', 50, [machine('m', '3d-printing.fdm')]),
      ],
      ['far-early', 'near-late'],
    ],
    [
      'same completion: nearer first',
      [unit('far', 50, [machine('m', '3d-printing.fdm')]), unit('near', 5, [machine('m', '3d-printing.fdm')])],
      ['near', 'far'],
    ],
    [
      'same completion and distance: more successful builds first',
      [
        unit('b', 5, [machine('m', '3d-printing.fdm')], { successfulBuilds: 1 }),
        unit('a', 5, [machine('m', '3d-printing.fdm')], { successfulBuilds: 0 }),
        unit('c', 5, [machine('m', '3d-printing.fdm')], { successfulBuilds: 7 }),
      ],
      ['c', 'b', 'a'],
    ],
    [
      'all equal: unit id',
      [unit('b', 5, [machine('m', '3d-printing.fdm')]), unit('c', 5, [machine('m', '3d-printing.fdm')]), unit('a', 5, [machine('m', '3d-printing.fdm')])],
      ['a', 'b', 'c'],
    ],
  ])('ranking: %s', (_n, units, order) => {
    expect(matchDesign(input(units)).candidates.map((c) => c.unitId)).toEqual(order);
  });

  it('machine ties go to the lower machine id', () => {
    const r = matchDesign(input([unit('u', 1, [machine('m2', '3d-printing.fdm'), machine('m1', '3d-printing.fdm')])]));
    expect(r.candidates[0].steps[0].machineId).toBe('m1');
  });

  it('is deterministic whatever the input order', () => {
    const units = ['e', 'd', 'c', 'b', 'a'].map((id, i) => unit(id, 10 + (i % 2), [machine('m', '3d-printing.fdm')]));
    const a = matchDesign(input(units));
    const b = matchDesign(input([...units].reverse()));
    expect(b).toEqual(a);
  });

  it('maxCandidates keeps the best ones but counts all', () => {
    const units = ['a', 'b', 'c'].map((id, i) => unit(id, i + 1, [machine('m', '3d-printing.fdm')]));
    const r = matchDesign(input(units, { options: { maxCandidates: 2 } }));
    expect(r.candidates.map((c) => c.unitId)).toEqual(['a', 'b']);
    expect(r.counts).toEqual({ units: 3, matched: 3, excluded: 0, explained: 0 });
  });
});

describe('explanations for the nearest units', () => {
  it('explains the excluded units among the nearest N, nearest first; units without coordinates last', () => {
    const units = [
      unit('match', 3, [machine('m', '3d-printing.fdm')]),
      unit('planned', 1, [], { status: 'Planned' }),
      unit('nowhere', 0, [], { location: null }),
      unit('laser-only', 2, [machine('l', 'laser-cutting')]),
      unit('far', 300, []),
    ];
    const three = matchDesign(input(units, { options: { explainNearest: 3 } }));
    expect(three.exclusions.map((e) => [e.unitId, e.distanceKm, e.reason])).toEqual([
      ['planned', 1, 'status Planned'],
      ['laser-only', 2, 'no machine for 3d-printing.fdm'],
    ]);
    expect(three.counts).toEqual({ units: 5, matched: 1, excluded: 4, explained: 2 });

    const all = matchDesign(input(units));
    expect(all.exclusions.map((e) => e.unitId)).toEqual(['planned', 'laser-only', 'far', 'nowhere']);
    expect(all.exclusions.find((e) => e.unitId === 'far')!.reason).toBe('300.0 km away > 200.0 km max');
  });
});

describe('split plans', () => {
  const printerOnly = (id: string, km: number, over: Partial<MatchMachine> = {}) => unit(id, km, [machine(`${id}-p`, '3d-printing.fdm', over)]);
  const laserOnly = (id: string, km: number, over: Partial<MatchMachine> = {}) => unit(id, km, [machine(`${id}-l`, 'laser-cutting', over)]);

  it('when nobody can do every step, splits them across nearby units', () => {
    const r = matchDesign(
      input([printerOnly('P', 10), laserOnly('L', 20), laserOnly('L-far', 40), printerOnly('P-late', 5, { freeIntervals: WEEK.slice(3) })], {
        requirements: [PRINT, CUT],
        quantity: 4,
      }),
    );
    expect(r.candidates).toEqual([]);
    expect(r.splitPlans.length).toBeGreaterThan(0);
    const best = r.splitPlans[0];
    expect(best).toMatchObject({
      split: true,
      completion: '2026-11-02T15:00:00.000Z',
      totalDistanceKm: 30,
      cost: {
        machineMinutes: { '3d-printing.fdm': 240, 'laser-cutting': 120 },
        materials: { pla: { quantity: 400, unit: 'g' }, plywood: { quantity: 1, unit: 'm2' } },
      },
    });
    expect(best.parts.map((p) => [p.unitId, p.distanceKm, p.steps.map((s) => [s.stepIndex, s.machineId, s.start, s.completion])])).toEqual([
      ['P', 10, [[0, 'P-p', '2026-11-02T09:00:00.000Z', '2026-11-02T13:00:00.000Z']]],
      ['L', 20, [[1, 'L-l', '2026-11-02T13:00:00.000Z', '2026-11-02T15:00:00.000Z']]],
    ]);
    // Same completion with the farther laser ranks after; the late printer finishes later.
    expect(r.splitPlans.map((p) => p.parts.map((x) => x.unitId).join('+'))).toEqual(['P+L', 'P+L-far', 'P-late+L', 'P-late+L-far']);
  });

  it('uses up to three units and steps back and forth between them', () => {
    const paint: ManufacturingStep = { ...CUT, process: 'sewing', material: 'plywood' };
    const r = matchDesign(
      input([printerOnly('P', 1), laserOnly('L', 2), unit('S', 3, [machine('s', 'sewing')])], { requirements: [PRINT, CUT, paint, PRINT] }),
    );
    expect(r.splitPlans).toHaveLength(1);
    expect(r.splitPlans[0].parts.map((p) => [p.unitId, p.steps.map((s) => s.stepIndex)])).toEqual([
      ['P', [0, 3]],
      ['L', [1]],
      ['S', [2]],
    ]);
  });

  it('counts stock a plan takes at one unit only once', () => {
    const twoPrints = [PRINT, CUT, PRINT];
    const units = [
      unit('P', 1, [machine('p', '3d-printing.fdm')], { stock: [{ material: 'pla', quantity: 150, unit: 'g' }] }),
      unit('PL', 2, [machine('p', '3d-printing.fdm'), machine('l', 'laser-cutting')], { stock: [{ material: 'plywood', quantity: 1, unit: 'm2' }, { material: 'pla', quantity: 100, unit: 'g' }] }),
    ];
    const r = matchDesign(input(units, { requirements: twoPrints }));
    expect(r.exclusions.map((e) => e.reason)).toEqual(['no machine for laser-cutting', 'PLA stock 100 g < 200 g needed']);
    const plan = r.splitPlans[0];
    expect(plan.parts.map((p) => [p.unitId, p.steps.map((s) => s.stepIndex)])).toEqual([
      ['P', [0]],
      ['PL', [1, 2]],
    ]);
  });

  it('is not offered when one unit can do it all, nor when no set of units can', () => {
    const both = unit('B', 50, [machine('p', '3d-printing.fdm'), machine('l', 'laser-cutting')]);
    expect(matchDesign(input([printerOnly('P', 1), laserOnly('L', 2), both], { requirements: [PRINT, CUT] })).splitPlans).toEqual([]);
    expect(matchDesign(input([printerOnly('P', 1), printerOnly('P2', 2)], { requirements: [PRINT, CUT] })).splitPlans).toEqual([]);
  });
});

describe('input validation', () => {
  it.each<[string, Partial<MatchInput>, RegExp]>([
    ['no requirements', { requirements: [] }, /no manufacturing requirements/],
    ['fractional quantity', { quantity: 1.5 }, /quantity/],
    ['needBy before now', { needBy: new Date('2026-01-01') }, /needBy must be after now/],
    ['bad location', { location: { lat: 95, lon: 0 } }, /location/],
    ['negative minutes', { requirements: [{ ...PRINT, machineMinutesPerUnit: -1 }] }, /machineMinutesPerUnit/],
  ])('%s → RangeError', (_n, over, message) => {
    expect(() => matchDesign(input([], over))).toThrow(message);
  });
});

describe('performance', () => {
  // Correctness at benchmark scale; speed itself is measured in bench/, never asserted here.
  it('10,000 units × 5 machines, two steps, four weeks of free time', () => {
    const month = availableIntervals(WEEKDAYS, 'Europe/Paris', [], NOW, new Date('2026-11-30T00:00:00Z'));
    const processes = ['3d-printing.fdm', '3d-printing.sla', 'laser-cutting', 'cnc-milling', '3d-printing.fdm'];
    const units: MatchUnit[] = [];
    for (let u = 0; u < 10_000; u++) {
      // Each machine has its own reservations so no work is shared between machines.
      const machines = processes.map((p, k) =>
        machine(`u${u}-m${k}`, p, { freeIntervals: month.filter((_, i) => (i + u + k) % 4 !== 0) }),
      );
      units.push(unit(`u${String(u).padStart(5, '0')}`, (u % 400) * 0.5, machines, { status: u % 10 === 0 ? 'Planned' : 'Active' }));
    }
    const r = matchDesign(input(units, { requirements: [PRINT, CUT], quantity: 20, needBy: new Date('2026-11-30T00:00:00Z') }));
    expect(r.counts.units).toBe(10_000);
    expect(r.candidates.length + r.counts.excluded).toBe(10_000);
    expect(r.candidates.length).toBeGreaterThan(0);
  });
});
