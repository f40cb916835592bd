import { describe, expect, it } from '@jest/globals';
import { findAlternative, parsePreflib } from './preflib.js';
import { readData } from './test-data.js';

describe('parsePreflib', () => {
  it('reads a .soi file: alternatives, weighted strict incomplete orders', () => {
    const e = parsePreflib(readData('ranked/00002-00000008.soi'), '00002-00000008.soi');
    expect(e.dataType).toBe('soi');
    expect(e.title).toBe('Debian Logo');
    expect(e.voters).toBe(143);
    expect(e.alternatives).toHaveLength(8);
    expect(e.alternatives[7]).toEqual({ id: 8, name: 'Further Discussion' });
    expect(e.ballots[0]).toEqual({ count: 4, tiers: [[2], [7]] });
    expect(e.ballots.at(-1)).toEqual({ count: 1, tiers: [[4]] });
    expect(e.meta['NUMBER UNIQUE ORDERS']).toBe('125');
  });

  it('reads a .toc file: tied groups, unranked options tied at the bottom', () => {
    const e = parsePreflib(readData('ranked/00002-00000001.toc'), '00002-00000001.toc');
    expect(e.dataType).toBe('toc');
    expect(e.voters).toBe(475);
    expect(e.ballots[0]).toEqual({ count: 100, tiers: [[3], [1], [2], [4]] });
    expect(e.ballots[10]).toEqual({ count: 9, tiers: [[3], [1, 2, 4]] });
    expect(findAlternative(e, 'Bdale Garbee')?.id).toBe(3);
    expect(findAlternative(e, '4')?.name).toBe('None Of The Above');
  });

  it.each(['00002-00000001', '00002-00000006', '00002-00000007', '00002-00000008'])(
    '%s: .soi and .toc hold the same voters and top choices',
    (base) => {
      const soi = parsePreflib(readData(`ranked/${base}.soi`));
      const toc = parsePreflib(readData(`ranked/${base}.toc`));
      expect(toc.voters).toBe(soi.voters);
      expect(toc.alternatives).toEqual(soi.alternatives);
    },
  );

  it('rejects inconsistent files', () => {
    const head = '# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 2: b\n';
    expect(() => parsePreflib(head + '1: 1,3\n')).toThrow(/unknown alternative 3/);
    expect(() => parsePreflib(head + '1: 1,1\n')).toThrow(/twice/);
    expect(() => parsePreflib(head + '# NUMBER VOTERS: 5\n1: 1,2\n')).toThrow(/5 voters/);
    expect(() => parsePreflib(head + 'x: 1\n')).toThrow(/cannot read/);
  });
});
