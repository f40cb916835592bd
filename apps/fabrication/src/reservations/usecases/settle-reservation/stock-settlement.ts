import { convertQuantity } from '#libs/taxonomy/src/index.js';

export interface EndedHold {
  fabUnitId: string;
  material: string;
  /** In the hold's unit. */
  quantity: number;
  unit: string;
}

export interface StockUnit {
  fabUnitId: string;
  material: string;
  unit: string | null;
}

/** What one ended hold takes off its stock row, in the stock's unit: `consumed` off the quantity (and the held), `released` off the held. */
export interface StockChange {
  fabUnitId: string;
  material: string;
  consumed: number;
  released: number;
}

/**
 * The stock changes of ending holds: consumed (the job completed: the material was used) or
 * released (it did not: the material is free again). A hold is in the unit the stock had when
 * it was placed; the stock may have been changed to another unit since.
 */
export function stockChanges(holds: readonly EndedHold[], stocks: readonly StockUnit[], outcome: 'consume' | 'release'): StockChange[] {
  const unitOf = new Map(stocks.map((s) => [stockKey(s), s.unit]));
  return holds.map((hold) => {
    const quantity = inStockUnit(hold, unitOf.get(stockKey(hold)) ?? null);
    return {
      fabUnitId: hold.fabUnitId,
      material: hold.material,
      consumed: outcome === 'consume' ? quantity : 0,
      released: outcome === 'consume' ? 0 : quantity,
    };
  });
}

function inStockUnit(hold: EndedHold, stockUnit: string | null): number {
  if (!stockUnit || stockUnit === hold.unit) return hold.quantity;
  try {
    return convertQuantity(hold.quantity, hold.unit, stockUnit);
  } catch {
    // the operator changed the stock to another dimension meanwhile: the hold was rescaled with it
    return hold.quantity;
  }
}

/** The stock rows the holds draw on, each once: the rows to lock before changing them. */
export function stockRowsOf(holds: readonly { fabUnitId: string; material: string }[]): { fabUnitId: string; material: string }[] {
  return [...new Map(holds.map((h) => [stockKey(h), { fabUnitId: h.fabUnitId, material: h.material }])).values()];
}

const stockKey = (s: { fabUnitId: string; material: string }) => `${s.fabUnitId}\n${s.material}`;
