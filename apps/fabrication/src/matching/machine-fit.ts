/**
 * Can this machine do this step, and when would it be done? Shared by whole-unit matching
 * and split plans.
 */
import type { BuildEnvelopeMm, ManufacturingStep } from '#libs/contracts/src/commons/design-version.js';
import { convertQuantity, processSatisfies } from '#libs/taxonomy/src/index.js';
import type { TimeSlot } from '#libs/contracts/src/fabrication/schedule.js';
import { earliestCompletion, earliestSlotsMs } from '../schedule/free-time.js';
import { isoUtc } from './iso-utc.js';
import type { StepAssignment } from '#libs/contracts/src/fabrication/matching.js';
import type { MatchMachine, MatchStock, MatchUnit } from './match-input.js';

/** A requirement scaled to the requested quantity. */
export interface PreparedStep {
  index: number;
  process: string;
  material: string;
  envelope?: BuildEnvelopeMm;
  /** Whole machine minutes for the whole quantity (rounded up). */
  minutes: number;
  materialQuantity: number;
  unit: string;
}

export function prepareSteps(requirements: readonly ManufacturingStep[], quantity: number): PreparedStep[] {
  return requirements.map((r, index) => ({
    index,
    process: r.process,
    material: r.material,
    ...(r.envelopeMm ? { envelope: r.envelopeMm } : {}),
    // toFixed first: 1.1 × 10 is 11.000000000000002 in binary and must not round up to 12.
    minutes: Math.ceil(Number((r.machineMinutesPerUnit * quantity).toFixed(6))),
    materialQuantity: Number((r.materialQuantityPerUnit * quantity).toPrecision(12)),
    unit: r.materialUnit,
  }));
}

// processSatisfies walks the taxonomy; 50,000 machines share a few dozen processes.
const satisfies = new Map<string, Map<string, boolean>>();
export function offers(machineProcess: string, required: string): boolean {
  let byOffered = satisfies.get(required);
  if (!byOffered) satisfies.set(required, (byOffered = new Map()));
  let v = byOffered.get(machineProcess);
  if (v === undefined) {
    v = processSatisfies(machineProcess, required);
    byOffered.set(machineProcess, v);
  }
  return v;
}

// Unit conversion parses unit names; stock lists repeat a handful of unit pairs.
const factors = new Map<string, Map<string, number | null>>();
function factor(from: string, to: string): number | null {
  if (from === to) return 1;
  let byTo = factors.get(from);
  if (!byTo) factors.set(from, (byTo = new Map()));
  let f = byTo.get(to);
  if (f === undefined) {
    try {
      f = convertQuantity(1, from, to);
    } catch {
      f = null;
    }
    byTo.set(to, f);
  }
  return f;
}

/**
 * Rotation about the vertical axis only: x and y may swap, z stays z. Turning a part on its
 * side changes what the designer specified (FDM layer direction and supports) or is
 * meaningless (z is the sheet thickness for laser and router), so it is not assumed.
 */
export function envelopeFits(machine: BuildEnvelopeMm | undefined, needed: BuildEnvelopeMm | undefined): boolean {
  if (!needed) return true;
  if (!machine) return false;
  if (machine.z < needed.z) return false;
  return (machine.x >= needed.x && machine.y >= needed.y) || (machine.x >= needed.y && machine.y >= needed.x);
}

export function volume(e: BuildEnvelopeMm): number {
  return e.x * e.y * e.z;
}

/**
 * Stock of `material` in `unit` (not rounded: compare with `covers`); entries in units of
 * another dimension (pieces of a material asked for in grams) cannot count. Null when the
 * unit holds none of it at all.
 */
export function stockOf(stock: readonly MatchStock[], material: string, unit: string): number | null {
  let total = 0;
  let seen = false;
  for (const s of stock) {
    if (s.material !== material) continue;
    seen = true;
    const f = factor(s.unit, unit);
    // another dimension (pieces of a material asked for in grams) cannot count
    if (f !== null) total += s.quantity * f;
  }
  return seen ? total : null;
}

/** `have` covers `need`, forgiving binary float noise (0.1 kg + 0.2 kg vs 300 g). */
export function covers(have: number, need: number): boolean {
  return have >= need - 1e-9 * Math.max(1, Math.abs(need));
}

export interface Placement {
  machine: MatchMachine;
  /** Epoch ms, flat: [start, end, start, end, …]. */
  slots: number[];
  completion: Date;
}

/**
 * The machine that finishes `minutes` of work earliest from `notBefore`, by `needBy` at the
 * latest; ties go to the lower machine id so results are reproducible. Only the winner's
 * slots are built.
 */
export function placeStep(machines: readonly MatchMachine[], minutes: number, notBefore: Date, needBy: Date): Placement | null {
  let best: MatchMachine | null = null;
  let bestEnd = needBy.getTime();
  for (const m of machines) {
    const end = earliestCompletion(m.freeIntervals, minutes, notBefore, bestEnd);
    if (end === null) continue;
    if (!best || end < bestEnd || m.id < best.id) {
      best = m;
      bestEnd = end;
    }
  }
  if (!best) return null;
  const r = earliestSlotsMs(best.freeIntervals, minutes, notBefore.getTime())!;
  return { machine: best, slots: r.slots, completion: new Date(r.completion) };
}

/** A unit that passed status and distance, with the machines able to do each step. */
export interface ScreenedUnit {
  unit: MatchUnit;
  distanceKm: number;
  /** Per step: available machines of the process that fit the envelope and work the material. */
  capable: MatchMachine[][];
}

export function assignment(step: PreparedStep, placed: Placement, notBefore: Date): StepAssignment {
  const m = placed.machine;
  const slots: TimeSlot[] = [];
  for (let k = 0; k < placed.slots.length; k += 2) slots.push({ start: isoUtc(placed.slots[k]), end: isoUtc(placed.slots[k + 1]) });
  return {
    stepIndex: step.index,
    process: step.process,
    material: step.material,
    machineId: m.id,
    machineProcess: m.process,
    ...(m.make !== undefined ? { make: m.make } : {}),
    ...(m.model !== undefined ? { model: m.model } : {}),
    minutes: step.minutes,
    slots,
    start: slots.length ? slots[0].start : isoUtc(notBefore.getTime()),
    completion: isoUtc(placed.completion.getTime()),
  };
}

/** Code-unit order: deterministic whatever the server's locale (ISO strings sort as times). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
