import { describe, expect, it } from '@jest/globals';
import { MATERIALS, canonicalMaterial } from './materials.js';
import { getUnit } from './units.js';

describe('canonicalMaterial', () => {
  it.each([
    ['PLA', 'pla'],
    ['pla', 'pla'],
    ['PETG', 'petg'],
    ['PET-G', 'petg'],
    ['ABS', 'abs'],
    ['TPU', 'tpu'],
    ['nylon', 'nylon'],
    ['PA12', 'nylon'],
    ['PA 12', 'nylon'],
    ['resin', 'resin'],
    ['plywood', 'plywood'],
    ['MDF', 'mdf'],
    ['acrylic', 'acrylic'],
    ['PMMA', 'acrylic'],
    ['Plexiglas', 'acrylic'],
    ['aluminium 6061', 'aluminium-6061'],
    ['Aluminum 6061', 'aluminium-6061'],
    ['AlMg1SiCu', 'aluminium-6061'],
    ['EN AW-6061', 'aluminium-6061'],
    ['aluminum', 'aluminium'],
    ['steel', 'steel'],
    ['stainless steel', 'stainless-steel'],
    ['Stainless_Steel', 'stainless-steel'],
    ['brass', 'brass'],
    ['copper', 'copper'],
    ['FR4', 'fr4'],
    ['FR-4', 'fr4'],
    ['solder', 'solder'],
    ['fabric', 'fabric'],
    ['cotton', 'cotton'],
    ['polycarbonate', 'polycarbonate'],
    ['HDPE', 'hdpe'],
    ['https://en.wikipedia.org/wiki/PLA', 'pla'],
    ['https://en.wikipedia.org/wiki/Nylon', 'nylon'],
    ['https://en.wikipedia.org/wiki/Resin', 'resin'],
    ['https://en.wikipedia.org/wiki/Fasteners', 'fasteners'],
    ['unobtainium', undefined],
    ['', undefined],
  ])('%j → %s', (input, expected) => {
    expect(canonicalMaterial(input)).toBe(expected);
  });

  it('resolves every id, name and alias to its own material and has a known default unit', () => {
    const ids = new Set(MATERIALS.map((m) => m.id));
    expect(ids.size).toBe(MATERIALS.length);
    for (const m of MATERIALS) {
      for (const name of [m.id, m.name, ...m.aliases]) expect([name, canonicalMaterial(name)]).toEqual([name, m.id]);
      expect(getUnit(m.defaultUnit)).toBeDefined();
    }
  });
});
