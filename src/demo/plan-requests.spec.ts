import { describe, expect, it } from '@jest/globals';
import type { ManufacturingStep } from '#libs/contracts/src/commons/design-version.js';
import { type DesignInfo, mainProcess, planRequests, type PlannedRequest, type PoolLab, SIZING, STOCK_SHARE, stockCovers } from './plan-requests.js';
import { PARIS } from './regions.js';

const step = (process: string, minutes: number, material: string, quantity: number, unit: string): ManufacturingStep => ({
  process,
  material,
  machineMinutesPerUnit: minutes,
  materialQuantityPerUnit: quantity,
  materialUnit: unit,
});
const designs: DesignInfo[] = [
  { key: 'crutch-tip', designVersionId: 'v-crutch', title: 'Crutch tip', requirements: [step('3d-printing.fdm', 95, 'petg', 38, 'g')] },
  { key: 'sensor-enclosure', designVersionId: 'v-box', title: 'Box', requirements: [step('laser-cutting', 18, 'plywood', 0.12, 'm2'), step('laser-cutting', 4, 'acrylic', 0.01, 'm2')] },
  { key: 'solar-bracket', designVersionId: 'v-bracket', title: 'Bracket', requirements: [step('cnc-milling', 55, 'aluminium-6061', 0.42, 'kg')] },
  {
    key: 'pump-controller-pcb',
    designVersionId: 'v-pcb',
    title: 'Board',
    requirements: [step('pcb-assembly', 40, 'electronic-components', 23, 'pcs'), step('soldering', 15, 'solder', 6, 'g')],
  },
];
const WEEK = 2700;
const lab = (id: string, processes: string[], stock: PoolLab['stock'], lat = 48.85): PoolLab => ({
  id,
  key: id,
  name: id,
  lat,
  lon: 2.35,
  processes,
  stock,
  freeMinutes: Object.fromEntries(processes.map((p) => [p, WEEK])),
});
// Twin labs of each role, as a council pools them (regions.ts): two machines of every process.
const labs = [
  lab('print', ['3d-printing.fdm'], { petg: { quantity: 12, unit: 'kg' } }),
  lab('print twin', ['3d-printing.fdm'], { petg: { quantity: 18, unit: 'kg' } }, 48.86),
  lab('laser', ['laser-cutting'], { plywood: { quantity: 36, unit: 'm2' }, acrylic: { quantity: 6, unit: 'm2' } }, 48.9),
  lab('laser twin', ['laser-cutting'], { plywood: { quantity: 54, unit: 'm2' }, acrylic: { quantity: 9, unit: 'm2' } }, 48.91),
  lab('mill', ['cnc-milling'], { 'aluminium-6061': { quantity: 45, unit: 'kg' } }, 48.8),
  lab('mill twin', ['cnc-milling'], { 'aluminium-6061': { quantity: 30, unit: 'kg' } }, 48.81),
  lab('boards', ['pcb-assembly', 'soldering'], { 'electronic-components': { quantity: 3000, unit: 'pcs' }, solder: { quantity: 1.5, unit: 'kg' } }, 48.7),
  lab('boards twin', ['pcb-assembly', 'soldering'], { 'electronic-components': { quantity: 6000, unit: 'pcs' }, solder: { quantity: 3, unit: 'kg' } }, 48.71),
];
const budget = { '3d-printing.fdm': 2 * WEEK, 'laser-cutting': 2 * WEEK, 'cnc-milling': 2 * WEEK, 'pcb-assembly': 2 * WEEK, soldering: 2 * WEEK };
const plan = (over: Partial<Parameters<typeof planRequests>[0]> = {}) =>
  planRequests({ regionKey: 'paris', templates: PARIS.templates, designs, labs, budgetMinutes: budget, seed: 1, communityMembers: 8, ...over });

const mainMinutes = (r: PlannedRequest) => r.minutes[mainProcess(designs.find((d) => d.key === r.design)!.requirements)]!;

/** Every order of `items`. */
function orders<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((x, i) => orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/** Every subset of `items`. */
const subsets = <T>(items: readonly T[]): T[][] => items.reduce<T[][]>((all, x) => [...all, ...all.map((s) => [...s, x])], [[]]);

describe('the requests of a council', () => {
  it('contests the prints and the enclosures: more than a third of the pool each, at most 90 % of one machine', () => {
    for (const seed of [1, 2, 3, 7, 11]) {
      const requests = plan({ seed });
      expect(requests).toHaveLength(PARIS.templates.length);
      for (const design of ['crutch-tip', 'sensor-enclosure'] as const) {
        const mine = requests.filter((r) => r.design === design);
        expect(mine).toHaveLength(4);
        // The pool's limit names itself: not every request fits.
        expect(mine.reduce((s, r) => s + mainMinutes(r), 0)).toBeGreaterThan(2 * WEEK);
        for (const r of mine) {
          expect(mainMinutes(r)).toBeGreaterThan((2 * WEEK) / 3);
          expect(mainMinutes(r)).toBeLessThanOrEqual(SIZING[design].share[1] * WEEK);
        }
      }
    }
  });

  it('keeps the brackets and the boards light: all of a design fit its planned machine, a board soldered after both assemblies', () => {
    for (const seed of [1, 2, 3, 7, 11]) {
      const requests = plan({ seed });
      const brackets = requests.filter((r) => r.design === 'solar-bracket');
      expect(brackets.reduce((s, r) => s + r.minutes['cnc-milling']!, 0)).toBeLessThanOrEqual(WEEK);
      const boards = requests.filter((r) => r.design === 'pump-controller-pcb');
      const assembly = boards.reduce((s, r) => s + r.minutes['pcb-assembly']!, 0);
      for (const last of boards) expect(assembly + last.minutes.soldering!).toBeLessThanOrEqual(WEEK);
    }
  });

  it('asks for nothing a step cannot be placed for: whatever fits the pool fits its two machines, in any order', () => {
    for (const seed of [1, 2, 3, 7, 11]) {
      const requests = plan({ seed });
      for (const process of ['3d-printing.fdm', 'laser-cutting', 'cnc-milling', 'pcb-assembly']) {
        const mine = requests.filter((r) => r.minutes[process]).map((r) => r.minutes[process]!);
        for (const funded of subsets(mine).filter((s) => s.reduce((a, b) => a + b, 0) <= 2 * WEEK)) {
          for (const order of orders(funded)) {
            // The planned machine first, the other when it is full; a step never split.
            const free = [WEEK, WEEK];
            for (const minutes of order) {
              const machine = free.findIndex((f) => f >= minutes);
              expect(machine).toBeGreaterThanOrEqual(0);
              free[machine]! -= minutes;
            }
          }
        }
      }
    }
  });

  it('sizes against the smaller machine when the twins differ', () => {
    const uneven = labs.map((l) => (l.id === 'print twin' ? { ...l, freeMinutes: { '3d-printing.fdm': 2400 } } : l));
    const requests = plan({ labs: uneven, budgetMinutes: { ...budget, '3d-printing.fdm': WEEK + 2400 } }).filter((r) => r.design === 'crutch-tip');
    for (const r of requests) {
      expect(r.minutes['3d-printing.fdm']).toBeLessThanOrEqual(0.9 * 2400);
      expect(r.minutes['3d-printing.fdm']).toBeGreaterThan((WEEK + 2400) / 3);
    }
  });

  it('delivers each request a few hundred metres from a lab that can make it', () => {
    for (const r of plan()) {
      const target = labs.find((l) => l.id === r.targetLabId)!;
      expect(designs.find((d) => d.key === r.design)!.requirements.every((s) => target.processes.includes(s.process))).toBe(true);
      const km = Math.hypot((r.delivery.lat - target.lat) * 111.2, (r.delivery.lon - target.lon) * 111.2 * Math.cos((target.lat * Math.PI) / 180));
      expect(km).toBeGreaterThan(0.15);
      expect(km).toBeLessThan(0.65);
    }
  });

  it(`never asks for more than ${STOCK_SHARE * 100} % of the stock of any lab that can make it`, () => {
    const poor = labs.map((l) => (l.id === 'print twin' ? { ...l, stock: { petg: { quantity: 0.5, unit: 'kg' } } } : l));
    for (const r of plan({ labs: poor }).filter((x) => x.design === 'crutch-tip')) expect(r.quantity).toBeLessThanOrEqual(5);
    expect(stockCovers(poor[1]!, designs[0]!.requirements)).toBe(13);
    expect(stockCovers(lab('none', [], {}), designs[0]!.requirements)).toBe(0);
  });

  it('is the same for the same seed', () => {
    expect(plan()).toEqual(plan());
    expect(plan({ seed: 2 })).not.toEqual(plan());
  });
});
