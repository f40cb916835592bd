import type { ManufacturingStep } from '#libs/contracts/src/commons/design-version.js';
import { convertQuantity } from '#libs/taxonomy/src/index.js';
import { rngFor, seededOrder } from '#libs/testing/src/prng.js';
import type { DesignKey, RequestTemplate } from './regions.js';

/**
 * The production requests a council's communities submit, sized against the round's budget.
 * Each design is made by the one lab of the pool with its machine (see regions.ts), and each
 * request asks for a seeded share of that machine's free time in the period: the prints and
 * enclosures (four requests each) ask for well over the machine's week together, and each of
 * the two milled and the two electronics requests for more than half of it, so the council
 * has to choose. A share never exceeds what the machine can do in the period on its own (for
 * the board: assembly, then soldering after it), so whatever is funded can be reserved.
 */

export interface PoolLab {
  id: string;
  key: string;
  name: string;
  lat: number;
  lon: number;
  /** Processes of its machines. */
  processes: string[];
  /** Free stock per material, in `unit`. */
  stock: Record<string, { quantity: number; unit: string }>;
}

export interface DesignInfo {
  key: DesignKey;
  designVersionId: string;
  title: string;
  requirements: ManufacturingStep[];
}

export interface PlannedRequest {
  /** Stable within a run: region key and position. */
  key: string;
  design: DesignKey;
  designVersionId: string;
  quantity: number;
  purpose: string;
  label: string;
  delivery: { lat: number; lon: number };
  /** The lab it is delivered next to. */
  targetLabId: string;
  /** Index into the council's community members. */
  requester: number;
  /** Machine minutes per process for the whole quantity. */
  minutes: Record<string, number>;
}

export interface PlanRequestsInput {
  regionKey: string;
  templates: readonly RequestTemplate[];
  designs: readonly DesignInfo[];
  labs: readonly PoolLab[];
  /** The round's pooled free machine minutes per process. */
  budgetMinutes: Record<string, number>;
  seed: number;
  communityMembers: number;
}

/** Share of the pooled minutes of its main process one request asks for, by design. */
export const SHARES: Record<DesignKey, readonly [number, number]> = {
  'crutch-tip': [0.3, 0.55],
  'sensor-enclosure': [0.3, 0.55],
  'solar-bracket': [0.55, 0.85],
  // Soldering (15 min a board) follows assembly (40 min) on the same lab's hours: above 0.72
  // the soldering of the last board would fall after the period.
  'pump-controller-pcb': [0.52, 0.7],
};

/** The process that sizes a design's request: the one with most minutes per unit. */
export function mainProcess(requirements: readonly ManufacturingStep[]): string {
  const perProcess = minutesPerUnit(requirements);
  return Object.entries(perProcess).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
}

export function minutesPerUnit(requirements: readonly ManufacturingStep[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of requirements) out[r.process] = (out[r.process] ?? 0) + r.machineMinutesPerUnit;
  return out;
}

const canMake = (lab: PoolLab, design: DesignInfo) => design.requirements.every((r) => lab.processes.includes(r.process));

/** How many units of the design the lab's free stock covers (a request must fit one lab's stock). */
export function stockCovers(lab: PoolLab, requirements: readonly ManufacturingStep[]): number {
  const need = new Map<string, { quantity: number; unit: string }>();
  for (const r of requirements) {
    const known = need.get(r.material);
    const q = known ? convertQuantity(r.materialQuantityPerUnit, r.materialUnit, known.unit) : r.materialQuantityPerUnit;
    need.set(r.material, { quantity: (known?.quantity ?? 0) + q, unit: known?.unit ?? r.materialUnit });
  }
  let units = Number.POSITIVE_INFINITY;
  for (const [material, perUnit] of need) {
    const stock = lab.stock[material];
    if (!stock || perUnit.quantity <= 0) {
      if (perUnit.quantity > 0) return 0;
      continue;
    }
    units = Math.min(units, Math.floor(convertQuantity(stock.quantity, stock.unit, perUnit.unit) / perUnit.quantity));
  }
  return units;
}

export function planRequests(input: PlanRequestsInput): PlannedRequest[] {
  const designs = new Map(input.designs.map((d) => [d.key, d]));
  const out: PlannedRequest[] = [];
  input.templates.forEach((t, i) => {
    const design = designs.get(t.design);
    if (!design) return;
    const key = `${input.regionKey}-${i}`;
    const lab = seededOrder(input.labs.filter((l) => canMake(l, design)), (l) => l.key, input.seed, `${input.regionKey}:${t.design}`)[0];
    if (!lab) return;
    const process = mainProcess(design.requirements);
    const perUnit = minutesPerUnit(design.requirements);
    const [lo, hi] = SHARES[t.design];
    const minutes = rngFor(input.seed, 'size', key).between(lo, hi) * (input.budgetMinutes[process] ?? 0);
    // 90 % of the lab's stock at most, so a lab's own reserve is never what decides.
    const byStock = Math.floor(stockCovers(lab, design.requirements) * 0.9);
    const quantity = Math.max(1, Math.min(Math.floor(minutes / perUnit[process]!), byStock));
    const rng = rngFor(input.seed, 'delivery', key);
    // A few hundred metres from the lab, in a seeded direction: the lab is the nearest that can make it.
    const angle = rng.between(0, 2 * Math.PI);
    const km = rng.between(0.2, 0.6);
    out.push({
      key,
      design: t.design,
      designVersionId: design.designVersionId,
      quantity,
      purpose: t.purpose.replace('{n}', String(quantity)),
      label: t.label,
      delivery: {
        lat: round6(lab.lat + (km / 111.195) * Math.cos(angle)),
        lon: round6(lab.lon + (km / (111.195 * Math.cos((lab.lat * Math.PI) / 180))) * Math.sin(angle)),
      },
      targetLabId: lab.id,
      requester: rngFor(input.seed, 'requester', key).int(0, Math.max(0, input.communityMembers - 1)),
      minutes: Object.fromEntries(Object.entries(perUnit).map(([p, m]) => [p, Math.ceil(m * quantity)])),
    });
  });
  return out;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
