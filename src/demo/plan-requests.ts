import type { ManufacturingStep } from '#libs/contracts/src/commons/design-version.js';
import { convertQuantity } from '#libs/taxonomy/src/index.js';
import { rngFor, seededOrder } from '#libs/testing/src/prng.js';
import type { DesignKey, RequestTemplate } from './regions.js';

/**
 * The production requests a council's communities submit, sized against the machines of the
 * round's pool (two of each process, see regions.ts). A funded step is reserved on one machine,
 * inside the period, never split across machines, so each request is sized against one
 * machine's free time, not the pool's:
 *
 * - the prints and the enclosures (four requests each) are contested: each asks for more than a
 *   third of the two machines' time together, so the tally funds at most two (the limit of the
 *   process names itself as the reason for the others), and at most 90 % of one machine, so two
 *   always fit, one on each machine (the second moves from its planned machine, full, to the
 *   other);
 * - the brackets and the boards (two requests each) are light: both together fit the machine
 *   they are planned on (for a board: both assemblies, then the last soldering after them), so
 *   both are funded and the twin machine keeps its week free: a declined bracket goes there.
 *
 * A request asks for at most 45 % of the free stock of any pool lab that can make it, so a lab's
 * stock never decides, even with two requests on it.
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
  /** Free minutes in the round's period of its machine of each process (its largest, if several). */
  freeMinutes: Record<string, number>;
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
  /** The round's pooled free machine minutes per process: the tally's limits. */
  budgetMinutes: Record<string, number>;
  seed: number;
  communityMembers: number;
}

/**
 * Share of one machine's free time in the period (the smallest of the pool doing the design's
 * main process) a request asks for; `contested`: also more than the pool's time divided by one
 * more than its machines, so the tally funds at most one per machine.
 */
export const SIZING: Record<DesignKey, { share: readonly [number, number]; contested: boolean }> = {
  'crutch-tip': { share: [0.7, 0.9], contested: true },
  'sensor-enclosure': { share: [0.7, 0.9], contested: true },
  'solar-bracket': { share: [0.25, 0.4], contested: false },
  // Soldering (15 min a board) follows assembly (40 min): two requests' assemblies and the last
  // soldering take at most 2 × 0.38 + 0.38 × 15 / 40 ≈ 0.9 of the machine's period.
  'pump-controller-pcb': { share: [0.25, 0.38], contested: false },
};

/** Share of a lab's free stock one request may need: two requests on one lab still fit. */
export const STOCK_SHARE = 0.45;

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
    const capable = input.labs.filter((l) => canMake(l, design));
    const lab = seededOrder(capable, (l) => l.key, input.seed, `${input.regionKey}:${t.design}`)[0];
    if (!lab) return;
    const process = mainProcess(design.requirements);
    const perUnit = minutesPerUnit(design.requirements);
    const { share, contested } = SIZING[t.design];
    // Every machine of the pool doing the process: where the tally's minutes of it are.
    const machines = input.labs.filter((l) => l.processes.includes(process)).map((l) => l.freeMinutes[process] ?? 0);
    const smallest = Math.min(...machines);
    const minutes = rngFor(input.seed, 'size', key).between(share[0], share[1]) * smallest;
    const most = Math.floor((share[1] * smallest) / perUnit[process]!);
    // One unit more than the pool's time over (machines + 1): that many requests never fit together.
    const fewest = contested ? Math.floor((input.budgetMinutes[process] ?? 0) / (machines.length + 1) / perUnit[process]!) + 1 : 0;
    const byStock = Math.floor(Math.min(...capable.map((l) => stockCovers(l, design.requirements))) * STOCK_SHARE);
    const quantity = Math.max(1, Math.min(Math.max(Math.floor(minutes / perUnit[process]!), fewest), most, byStock));
    const rng = rngFor(input.seed, 'delivery', key);
    // A few hundred metres from the lab, in a seeded direction: the plan names it (or its twin, if nearer).
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
