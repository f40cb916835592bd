import { describe, expect, it } from '@jest/globals';
import { UNITS, canonicalUnit, convertQuantity } from './units.js';

describe('canonicalUnit', () => {
  it.each([
    ['g', 'g'],
    ['G', 'g'],
    ['grams', 'g'],
    ['kg', 'kg'],
    ['KG', 'kg'],
    ['mm', 'mm'],
    ['m', 'm'],
    ['metres', 'm'],
    ['m2', 'm2'],
    ['m²', 'm2'],
    ['sqm', 'm2'],
    ['cm2', 'cm2'],
    ['ml', 'ml'],
    ['mL', 'ml'],
    ['cm3', 'ml'],
    ['l', 'l'],
    ['L', 'l'],
    ['litre', 'l'],
    ['pcs', 'pcs'],
    ['pieces', 'pcs'],
    ['h', 'h'],
    ['hours', 'h'],
    ['min', 'min'],
    ['minutes', 'min'],
    ['parsecs', undefined],
    ['', undefined],
  ])('%j → %s', (input, expected) => {
    expect(canonicalUnit(input)).toBe(expected);
  });

  it('resolves every alias to its own unit', () => {
    for (const u of UNITS) for (const a of [u.id, ...(u.aliases ?? [])]) expect([a, canonicalUnit(a)]).toEqual([a, u.id]);
  });
});

describe('convertQuantity', () => {
  it.each([
    [1500, 'g', 'kg', 1.5],
    [1.5, 'kg', 'g', 1500],
    [2, 'm', 'mm', 2000],
    [0.1, 'm2', 'cm2', 1000],
    [250, 'cm2', 'm2', 0.025],
    [1, 'l', 'ml', 1000],
    [90, 'min', 'h', 1.5],
    [2, 'h', 'min', 120],
    [30, 's', 'min', 0.5],
    [12, 'pcs', 'pieces', 12],
    [1, 'lb', 'g', 453.59237],
    [0, 'kg', 'g', 0],
  ])('%d %s → %s = %d', (q, from, to, expected) => {
    expect(convertQuantity(q, from, to)).toBe(expected);
  });

  it.each([
    [1, 'g', 'mm', /cannot convert g \(mass\) to mm \(length\)/],
    [1, 'm2', 'ml', /cannot convert/],
    [1, 'h', 'pcs', /cannot convert/],
    [1, 'parsec', 'm', /unknown unit "parsec"/],
    [1, 'm', 'furlong', /unknown unit "furlong"/],
    [Number.NaN, 'g', 'kg', /finite/],
  ])('%d %s → %s throws', (q, from, to, message) => {
    expect(() => convertQuantity(q, from, to)).toThrow(message);
  });
});
