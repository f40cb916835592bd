import { describe, expect, it } from '@jest/globals';
import type { ManufacturingStep } from '#libs/contracts/src/commons/design-version.js';
import { type DesignInfo, mainProcess, planRequests, type PoolLab, SHARES, stockCovers } from './plan-requests.js';
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
const lab = (id: string, processes: string[], stock: PoolLab['stock'], lat = 48.85): PoolLab => ({ id, key: id, name: id, lat, lon: 2.35, processes, stock });
const labs = [
  lab('print', ['3d-printing.fdm'], { petg: { quantity: 12, unit: 'kg' } }),
  lab('laser', ['laser-cutting'], { plywood: { quantity: 30, unit: 'm2' }, acrylic: { quantity: 6, unit: 'm2' } }, 48.9),
  lab('mill', ['cnc-milling'], { 'aluminium-6061': { quantity: 45, unit: 'kg' } }, 48.8),
  lab('boards', ['pcb-assembly', 'soldering'], { 'electronic-components': { quantity: 3000, unit: 'pcs' }, solder: { quantity: 1.5, unit: 'kg' } }, 48.7),
];
const budget = { '3d-printing.fdm': 2700, 'laser-cutting': 2700, 'cnc-milling': 2700, 'pcb-assembly': 2700, soldering: 2700 };
const plan = (over: Partial<Parameters<typeof planRequests>[0]> = {}) =>
  planRequests({ regionKey: 'paris', templates: PARIS.templates, designs, labs, budgetMinutes: budget, seed: 1, communityMembers: 8, ...over });

describe('the requests of a council', () => {
  it('asks each lab for more than its machine can do in the period, a request never more than it can do alone', () => {
    const requests = plan();
    expect(requests).toHaveLength(PARIS.templates.length);
    const minutesOn = (process: string) => requests.reduce((s, r) => s + (r.minutes[process] ?? 0), 0);
    for (const process of ['3d-printing.fdm', 'laser-cutting', 'cnc-milling', 'pcb-assembly']) expect(minutesOn(process)).toBeGreaterThan(budget[process as keyof typeof budget]);
    for (const r of requests) {
      const main = mainProcess(designs.find((d) => d.key === r.design)!.requirements);
      expect(r.minutes[main]).toBeLessThanOrEqual(SHARES[r.design][1] * budget[main as keyof typeof budget] + 60);
      expect(r.purpose.startsWith(`${r.quantity} `)).toBe(true);
    }
    // A board: assembly, then soldering after it, within the period.
    for (const r of requests.filter((x) => x.design === 'pump-controller-pcb')) expect(r.minutes['pcb-assembly']! + r.minutes.soldering!).toBeLessThanOrEqual(2700);
  });

  it('delivers each request a few hundred metres from the lab that can make it', () => {
    for (const r of plan()) {
      const target = labs.find((l) => l.id === r.targetLabId)!;
      expect(designs.find((d) => d.key === r.design)!.requirements.every((s) => target.processes.includes(s.process))).toBe(true);
      const km = Math.hypot((r.delivery.lat - target.lat) * 111.2, (r.delivery.lon - target.lon) * 111.2 * Math.cos((target.lat * Math.PI) / 180));
      expect(km).toBeGreaterThan(0.15);
      expect(km).toBeLessThan(0.65);
    }
  });

  it('never asks for more than 90 % of the stock of the lab', () => {
    const poor = labs.map((l) => (l.id === 'print' ? { ...l, stock: { petg: { quantity: 0.5, unit: 'kg' } } } : l));
    for (const r of plan({ labs: poor }).filter((x) => x.design === 'crutch-tip')) expect(r.quantity).toBeLessThanOrEqual(11);
    expect(stockCovers(poor[0]!, designs[0]!.requirements)).toBe(13);
    expect(stockCovers(lab('none', [], {}), designs[0]!.requirements)).toBe(0);
  });

  it('is the same for the same seed', () => {
    expect(plan()).toEqual(plan());
    expect(plan({ seed: 2 })).not.toEqual(plan());
  });
});
