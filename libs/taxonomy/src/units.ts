import { lookupKey } from './lookup-key.js';

export type UnitDimension = 'mass' | 'length' | 'area' | 'volume' | 'count' | 'time';

/** Bases: mass g, length mm, area mm2, volume ml, count pcs, time min (machine minutes). */
export interface UnitDef {
  id: string;
  dimension: UnitDimension;
  /** Multiply a quantity in this unit by `factor` to get the dimension's base unit. */
  factor: number;
  aliases?: string[];
}

export const UNITS: readonly UnitDef[] = [
  { id: 'mg', dimension: 'mass', factor: 0.001, aliases: ['milligram', 'milligrams'] },
  { id: 'g', dimension: 'mass', factor: 1, aliases: ['gram', 'grams', 'gr', 'grammes'] },
  { id: 'kg', dimension: 'mass', factor: 1000, aliases: ['kilogram', 'kilograms', 'kgs', 'kilo', 'kilos'] },
  { id: 't', dimension: 'mass', factor: 1_000_000, aliases: ['tonne', 'tonnes', 'metric ton'] },
  { id: 'lb', dimension: 'mass', factor: 453.59237, aliases: ['lbs', 'pound', 'pounds'] },
  { id: 'oz', dimension: 'mass', factor: 28.349523125, aliases: ['ounce', 'ounces'] },

  { id: 'mm', dimension: 'length', factor: 1, aliases: ['millimetre', 'millimeter', 'millimetres', 'millimeters'] },
  { id: 'cm', dimension: 'length', factor: 10, aliases: ['centimetre', 'centimeter', 'centimetres', 'centimeters'] },
  { id: 'm', dimension: 'length', factor: 1000, aliases: ['metre', 'meter', 'metres', 'meters', 'lm', 'running metre'] },
  { id: 'in', dimension: 'length', factor: 25.4, aliases: ['inch', 'inches', '"'] },
  { id: 'ft', dimension: 'length', factor: 304.8, aliases: ['foot', 'feet'] },

  { id: 'mm2', dimension: 'area', factor: 1, aliases: ['mm²', 'mm^2', 'sq mm', 'square millimetre', 'square millimeter'] },
  { id: 'cm2', dimension: 'area', factor: 100, aliases: ['cm²', 'cm^2', 'sq cm', 'square centimetre', 'square centimeter'] },
  { id: 'm2', dimension: 'area', factor: 1_000_000, aliases: ['m²', 'm^2', 'sqm', 'sq m', 'square metre', 'square meter', 'square metres', 'square meters'] },

  { id: 'ml', dimension: 'volume', factor: 1, aliases: ['millilitre', 'milliliter', 'millilitres', 'milliliters', 'cm3', 'cm³', 'cc', 'ccm'] },
  { id: 'l', dimension: 'volume', factor: 1000, aliases: ['litre', 'liter', 'litres', 'liters', 'ltr', 'dm3', 'dm³'] },
  { id: 'mm3', dimension: 'volume', factor: 0.001, aliases: ['mm³', 'mm^3', 'cubic millimetre', 'cubic millimeter'] },
  { id: 'm3', dimension: 'volume', factor: 1_000_000, aliases: ['m³', 'm^3', 'cubic metre', 'cubic meter'] },

  { id: 'pcs', dimension: 'count', factor: 1, aliases: ['pc', 'piece', 'pieces', 'unit', 'units', 'ea', 'each', 'x', 'count', 'item', 'items', 'stk'] },

  { id: 's', dimension: 'time', factor: 1 / 60, aliases: ['sec', 'secs', 'second', 'seconds'] },
  { id: 'min', dimension: 'time', factor: 1, aliases: ['mins', 'minute', 'minutes'] },
  { id: 'h', dimension: 'time', factor: 60, aliases: ['hr', 'hrs', 'hour', 'hours'] },
];

const BY_ID = new Map(UNITS.map((u) => [u.id, u]));

const BY_KEY = (() => {
  const index = new Map<string, string>();
  for (const u of UNITS) {
    for (const name of [u.id, ...(u.aliases ?? [])]) {
      const key = lookupKey(name);
      const taken = index.get(key);
      if (taken && taken !== u.id) throw new Error(`taxonomy: unit "${name}" names both ${taken} and ${u.id}`);
      index.set(key, u.id);
    }
  }
  return index;
})();

export function getUnit(id: string): UnitDef | undefined {
  return BY_ID.get(id);
}

/** Canonical unit id for an id or alias (case-insensitive: "KG", "Grams", "m²"); `undefined` when unknown. */
export function canonicalUnit(input: string): string | undefined {
  if (typeof input !== 'string') return undefined;
  const raw = input.trim();
  if (!raw) return undefined;
  if (BY_ID.has(raw)) return raw;
  return BY_KEY.get(lookupKey(raw));
}

/**
 * Converts between units of one dimension. Throws on unknown units and on a dimension
 * mismatch (grams are never metres). The result is rounded to 12 significant digits so binary
 * float noise (0.1 m2 → 100000.00000000001 cm2) does not leak into stored data or hashes.
 */
export function convertQuantity(q: number, from: string, to: string): number {
  const f = BY_ID.get(canonicalUnit(from) ?? '');
  const t = BY_ID.get(canonicalUnit(to) ?? '');
  if (!f) throw new Error(`unknown unit "${from}"`);
  if (!t) throw new Error(`unknown unit "${to}"`);
  if (f.dimension !== t.dimension) {
    throw new Error(`cannot convert ${f.id} (${f.dimension}) to ${t.id} (${t.dimension})`);
  }
  if (!Number.isFinite(q)) throw new Error(`quantity must be a finite number, got ${q}`);
  if (f.id === t.id) return q;
  return Number(((q * f.factor) / t.factor).toPrecision(12));
}
