import type { CouncilRules, RoundBudget } from '#libs/contracts/src/council/index.js';
import type { CostVector, PooledCapacity } from '#libs/contracts/src/fabrication/index.js';
import type { AllocationStep } from '#libs/contracts/src/production/messages.js';
import { Rational } from '#libs/tally/src/rational.js';
import { compareCodePoints } from '#libs/tally/src/tie-break.js';
import { convertQuantity, processAncestors, processSatisfies } from '#libs/taxonomy/src/index.js';
import { exact, text } from '../councils/council-rules.js';

/**
 * The council's unit of account and its scarce resources. A round's budget is its pool valued at
 * the council's rates (machine hours × the process's rate + material × its rate), and each pooled
 * process and material is also a limit of its own: a candidate is funded only if every machine
 * minute and every gram it needs still fits, whatever money is left.
 */
export const machineResource = (process: string) => `${process} machine minutes`;
export const materialResource = (material: string, unit: string) => `${material} ${unit}`;

const MINUTES_PER_HOUR = Rational.of(60);

/** The rate for a process: its own, or the nearest ancestor's (`3d-printing` prices `3d-printing.fdm`). */
export function hourRate(rules: CouncilRules, process: string): Rational | undefined {
  for (const p of [process, ...safeAncestors(process)]) {
    const r = rules.rates.machineHour[p];
    if (r !== undefined) return exact(r);
  }
  return undefined;
}

function safeAncestors(process: string): string[] {
  try {
    return processAncestors(process).filter((p) => p !== process);
  } catch {
    return [];
  }
}

/** What fabrication answers for a pool: the sums, and (when it says) each machine's free minutes. */
export type PoolAnswer = PooledCapacity & { machines?: readonly { process: string; freeMinutes: number }[] };

export function snapshotBudget(pool: PoolAnswer, rules: CouncilRules): RoundBudget {
  let money = Rational.ZERO;
  const limits: Record<string, string> = {};
  for (const process of Object.keys(pool.machineMinutes).sort(compareCodePoints)) {
    const minutes = exact(pool.machineMinutes[process]) ?? Rational.ZERO;
    const rate = hourRate(rules, process);
    limits[machineResource(process)] = text(minutes);
    if (rate) money = money.add(minutes.div(MINUTES_PER_HOUR).mul(rate));
  }
  for (const material of Object.keys(pool.materials).sort(compareCodePoints)) {
    const rate = rules.rates.material[material];
    // A material the council has no rate for cannot be priced, so no candidate needing it is taken.
    if (!rate) continue;
    const stock = pool.materials[material]!;
    let quantity: Rational;
    try {
      quantity = exact(convertQuantity(stock.quantity, stock.unit, rate.unit)) ?? Rational.ZERO;
    } catch {
      continue;
    }
    if (quantity.isNegative()) quantity = Rational.ZERO;
    limits[materialResource(material, rate.unit)] = text(quantity);
    money = money.add(quantity.mul(exact(rate.rate)!));
  }
  return {
    from: pool.from,
    to: pool.to,
    fabUnitIds: [...pool.fabUnitIds].sort(),
    machineMinutes: pool.machineMinutes,
    materials: pool.materials,
    ...(pool.machines ? { largestMachineMinutes: largestPerProcess(pool.machines) } : {}),
    money: text(money),
    limits,
  };
}

function largestPerProcess(machines: readonly { process: string; freeMinutes: number }[]): Record<string, number> {
  const largest = new Map<string, number>();
  for (const m of machines) largest.set(m.process, Math.max(largest.get(m.process) ?? 0, m.freeMinutes));
  // Keys in code point order, so the stored budget's JSON does not depend on fabrication's row order.
  return Object.fromEntries([...largest].sort(([a], [b]) => compareCodePoints(a, b)));
}

export interface StepTooLong {
  stepIndex: number;
  process: string;
  minutes: number;
  /** The free minutes of the freest pooled machine able to run it (0: none can). */
  largestMachineMinutes: number;
}

/**
 * Steps of a plan that no single pooled machine has the time for. The tally's limits are the
 * pool's summed minutes per process, but a step runs whole on one machine (production never
 * splits it), so two printers with 4 h each cannot take a 6 h print: such a candidate would be
 * funded and then fail at placement, spending votes and budget on nothing.
 */
export function stepsTooLongForAnyMachine(steps: readonly AllocationStep[], largestMachineMinutes: Readonly<Record<string, number>>): StepTooLong[] {
  const out: StepTooLong[] = [];
  for (const step of steps) {
    let largest = 0;
    for (const [process, minutes] of Object.entries(largestMachineMinutes)) {
      if (minutes > largest && processSatisfies(process, step.process)) largest = minutes;
    }
    if (step.minutes > largest) out.push({ stepIndex: step.stepIndex, process: step.process, minutes: step.minutes, largestMachineMinutes: largest });
  }
  return out;
}


export type Priced =
  | { ok: true; cost: Rational; resources: Record<string, Rational> }
  | { ok: false; problems: string[] };

/** A request's cost vector in the council's unit, and its needs per limited resource. */
export function priceCostVector(cost: CostVector, rules: CouncilRules): Priced {
  const problems: string[] = [];
  let money = Rational.ZERO;
  const resources: Record<string, Rational> = {};
  const add = (name: string, amount: Rational) => (resources[name] = (resources[name] ?? Rational.ZERO).add(amount));
  for (const [process, value] of Object.entries(cost.machineMinutes ?? {})) {
    const minutes = exact(value);
    if (!minutes || minutes.isNegative()) {
      problems.push(`machine minutes for ${process} are not a non-negative number`);
      continue;
    }
    const rate = hourRate(rules, process);
    if (!rate) {
      problems.push(`the council has no rate per machine hour for ${process}`);
      continue;
    }
    money = money.add(minutes.div(MINUTES_PER_HOUR).mul(rate));
    add(machineResource(process), minutes);
  }
  for (const [material, q] of Object.entries(cost.materials ?? {})) {
    const rate = rules.rates.material[material];
    if (!rate) {
      problems.push(`the council has no rate for material ${material}`);
      continue;
    }
    let quantity: Rational | undefined;
    try {
      quantity = exact(convertQuantity(q.quantity, q.unit, rate.unit));
    } catch (error) {
      problems.push(`${material}: ${(error as Error).message}`);
      continue;
    }
    if (!quantity || quantity.isNegative()) {
      problems.push(`${material} quantity is not a non-negative number`);
      continue;
    }
    money = money.add(quantity.mul(exact(rate.rate)!));
    add(materialResource(material, rate.unit), quantity);
  }
  return problems.length ? { ok: false, problems } : { ok: true, cost: money, resources };
}
