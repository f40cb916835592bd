import { describe, expect, it } from '@jest/globals';
import type { DesignVersionContent } from '#libs/contracts/src/commons/design-version.js';
import { canonicalJson, contentHash, normaliseContent } from './content-hash.js';

const base: DesignVersionContent = {
  title: 'Clamp',
  function: 'Holds a 22 mm tube',
  license: 'CERN-OHL-S-2.0',
  licensors: [{ name: 'Ada', email: 'ada@example.org' }],
  contributors: [{ name: 'Bo', role: 'tester' }],
  keywords: ['clamp', 'tube'],
  bom: [
    { item: 'M3 screw', quantity: 2, material: 'stainless-steel', unit: 'pcs' },
    { item: 'body', quantity: 1 },
  ],
  links: [{ kind: 'source', url: 'https://example.org/clamp' }],
  requirements: [
    { process: '3d-printing.fdm', material: 'pla', machineMinutesPerUnit: 90, materialQuantityPerUnit: 40, materialUnit: 'g' },
    { process: 'laser-cutting', material: 'plywood', machineMinutesPerUnit: 5, materialQuantityPerUnit: 0.02, materialUnit: 'm2', envelopeMm: { x: 300, y: 200, z: 4 } },
  ],
};

function variant(change: (c: DesignVersionContent) => void): DesignVersionContent {
  const c = structuredClone(base);
  change(c);
  return c;
}

describe('contentHash', () => {
  it('is the SHA-256 hex of the canonical JSON', () => {
    expect(contentHash(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash(base)).toBe(contentHash(structuredClone(base)));
  });

  it.each<[string, DesignVersionContent]>([
    ['surrounding whitespace', variant((c) => { c.title = '  Clamp \n'; c.licensors[0].name = ' Ada '; })],
    ['process, material and unit aliases', variant((c) => { c.requirements[0] = { ...c.requirements[0], process: 'FDM', material: 'PLA', materialUnit: 'grams' }; })],
    ['a process alias', variant((c) => { c.requirements[1].process = 'Laser cutter'; })],
    ['BOM material and unit aliases', variant((c) => { c.bom[0] = { ...c.bom[0], material: 'Stainless Steel', unit: 'pieces' }; })],
    ['keyword order and duplicates', variant((c) => { c.keywords = ['tube', ' clamp', 'clamp', '']; })],
    ['a non-SPDX license spelling', variant((c) => { c.license = 'CERN OHL S v2'; })],
    ['key order', { requirements: base.requirements, links: base.links, bom: base.bom, keywords: base.keywords, contributors: base.contributors, licensors: base.licensors, license: base.license, function: base.function, title: base.title }],
    ['empty extra', variant((c) => { c.extra = {}; })],
    ['undefined optional fields', variant((c) => { c.links[0].title = undefined; c.requirements[0].tolerance = '  '; c.contributors[0].email = ''; })],
    ['a process URL', variant((c) => { c.requirements[0].process = 'https://en.wikipedia.org/wiki/Fused_filament_fabrication'; })],
  ])('ignores %s', (_, other) => {
    expect(contentHash(other)).toBe(contentHash(base));
  });

  it('hashes -0 like 0', () => {
    const zero = variant((c) => { c.requirements[0].machineMinutesPerUnit = 0; });
    const negativeZero = variant((c) => { c.requirements[0].machineMinutesPerUnit = -0; });
    expect(contentHash(negativeZero)).toBe(contentHash(zero));
  });

  it.each<[string, DesignVersionContent]>([
    ['a different title', variant((c) => { c.title = 'Clamp 2'; })],
    ['requirement order (steps are ordered)', variant((c) => { c.requirements.reverse(); })],
    ['BOM order', variant((c) => { c.bom.reverse(); })],
    ['link order', variant((c) => { c.links.push({ kind: 'image', url: 'x.png' }); })],
    ['contributor order', variant((c) => { c.contributors = [{ name: 'Cy' }, { name: 'Bo', role: 'tester' }]; })],
    ['machine minutes', variant((c) => { c.requirements[0].machineMinutesPerUnit = 91; })],
    ['envelope', variant((c) => { c.requirements[1].envelopeMm = { x: 300, y: 200, z: 5 }; })],
    ['a process child vs parent', variant((c) => { c.requirements[0].process = '3d-printing'; })],
    ['license', variant((c) => { c.license = 'CERN-OHL-W-2.0'; })],
    ['extra', variant((c) => { c.extra = { okh: { flavour: 'OKH v1' } }; })],
    ['keyword case', variant((c) => { c.keywords = ['Clamp', 'tube']; })],
  ])('changes with %s', (_, other) => {
    expect(contentHash(other)).not.toBe(contentHash(base));
  });
});

describe('normaliseContent', () => {
  it('writes canonical ids, trims, sorts keywords and keeps what the taxonomy does not know', () => {
    const n = normaliseContent({
      ...base,
      license: 'GPL-3.0',
      keywords: ['b', 'a', 'b'],
      requirements: [{ process: ' knitting ', material: 'Wool', machineMinutesPerUnit: 3, materialQuantityPerUnit: 1, materialUnit: 'Skein' }],
    });
    expect(n.license).toBe('GPL-3.0-only');
    expect(n.keywords).toEqual(['a', 'b']);
    expect(n.requirements).toEqual([{ process: 'knitting', material: 'Wool', machineMinutesPerUnit: 3, materialQuantityPerUnit: 1, materialUnit: 'Skein' }]);
  });

  it('is idempotent', () => {
    const once = normaliseContent(variant((c) => { c.requirements[0].process = 'FDM'; c.keywords = ['z', 'a']; }));
    expect(normaliseContent(once)).toEqual(once);
  });

  it('does not touch its input', () => {
    const input = variant((c) => { c.title = ' x '; });
    normaliseContent(input);
    expect(input.title).toBe(' x ');
  });
});

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}'],
    [{ a: undefined, b: 'x' }, '{"b":"x"}'],
    [[1, 'two', true], '[1,"two",true]'],
  ])('%j → %s', (value, json) => {
    expect(canonicalJson(value)).toBe(json);
  });
});
