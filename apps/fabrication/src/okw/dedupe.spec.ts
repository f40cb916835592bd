import { describe, expect, it } from '@jest/globals';
import type { FabUnitDraft } from '#libs/contracts/src/fabrication/fab-unit.js';
import { dedupeDrafts, dedupeKey, mergeDrafts } from './dedupe.js';

describe('dedupeKey', () => {
  it.each<[string, { name: string; url?: string }, { name: string; url?: string }, boolean]>([
    ['case and spacing of the name', { name: 'Fab Lab  Nord ' }, { name: 'fab lab nord' }, true],
    ['http vs https', { name: 'A', url: 'http://lab.org' }, { name: 'A', url: 'https://lab.org' }, true],
    ['www.', { name: 'A', url: 'https://www.lab.org' }, { name: 'A', url: 'https://lab.org' }, true],
    ['trailing slash', { name: 'A', url: 'https://lab.org/labs/x/' }, { name: 'A', url: 'https://lab.org/labs/x' }, true],
    ['url case', { name: 'A', url: 'https://www.fablabs.io/labs/Irokofablab' }, { name: 'A', url: 'https://fablabs.io/labs/irokofablab' }, true],
    ['trailing slash before a query', { name: 'A', url: 'https://lab.org/?p=1' }, { name: 'A', url: 'https://lab.org?p=1' }, true],
    ['another path', { name: 'A', url: 'https://lab.org/a' }, { name: 'A', url: 'https://lab.org/b' }, false],
    ['another name', { name: 'A', url: 'https://lab.org' }, { name: 'B', url: 'https://lab.org' }, false],
    ['url vs none', { name: 'A', url: 'https://lab.org' }, { name: 'A' }, false],
    ['both without url', { name: 'A' }, { name: 'a' }, true],
  ])('%s → same: %s', (_n, a, b, same) => {
    expect(dedupeKey(a) === dedupeKey(b)).toBe(same);
  });
});

const base: FabUnitDraft = { name: 'Lab', kind: 'fablab', status: 'Active', location: {}, locatable: false, contact: {}, source: { system: 'okw', id: '1' } };

describe('mergeDrafts', () => {
  it('keeps the first record where both say something and fills its gaps', () => {
    const first: FabUnitDraft = { ...base, location: { city: 'Lille' }, contact: { email: 'a@lab.org' }, machines: [] };
    const later: FabUnitDraft = {
      ...base,
      status: 'Closed',
      description: 'later',
      location: { lat: 1, lon: 2, city: 'Roubaix', country: 'FR' },
      locatable: true,
      contact: { email: 'b@lab.org', phone: '123' },
      machines: [{ process: 'laser-cutting', materials: [], status: 'available' }],
      source: { system: 'okw', id: '2' },
    };
    expect(mergeDrafts(first, later)).toStrictEqual({
      ...base,
      description: 'later',
      location: { city: 'Lille', country: 'FR', lat: 1, lon: 2 },
      locatable: true,
      contact: { email: 'a@lab.org', phone: '123' },
      machines: [{ process: 'laser-cutting', materials: [], status: 'available' }],
    });
  });

  it('moves coordinates as a pair', () => {
    const first: FabUnitDraft = { ...base, location: { lat: 10, lon: 20 }, locatable: true };
    const later: FabUnitDraft = { ...base, location: { lat: 30, lon: 40 }, locatable: true };
    expect(mergeDrafts(first, later).location).toStrictEqual({ lat: 10, lon: 20 });
  });
});

describe('dedupeDrafts', () => {
  it('merges in list order and reports which records were folded', () => {
    const r = dedupeDrafts([
      { ...base, name: 'A', url: 'https://a.org' },
      { ...base, name: 'B' },
      { ...base, name: ' a ', url: 'http://www.a.org/', description: 'filled' },
      { ...base, name: 'A', url: 'https://a.org', description: 'ignored' },
    ]);
    expect(r.units.map((u) => [u.name, u.description])).toEqual([
      ['A', 'filled'],
      ['B', undefined],
    ]);
    expect(r.merged).toEqual([{ name: 'A', indexes: [0, 2, 3] }]);
  });
});
