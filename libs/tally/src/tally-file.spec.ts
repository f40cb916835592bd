import { describe, expect, it } from '@jest/globals';
import { formatTallyResult, tallyFile } from './tally-file.js';
import { readData } from './test-data.js';

describe('tallyFile', () => {
  it('greedy on a .pb file: selected ids in order and the total cost', () => {
    const result = tallyFile(readData('pabulib/poland_krakow_2020_swoszowice.pb'), 'poland_krakow_2020_swoszowice.pb', 'greedy');
    expect(result).toMatchObject({ kind: 'budget', selected: ['4', '2', '11', '12', '3', '13', '5'], cost: '1338500' });
    const text = formatTallyResult(result);
    expect(text).toContain('Selected 7 projects, total cost 1338500');
    expect(text).toContain('did not fit the remaining budget');
  });

  it('equal shares (add1 by default) on Wieliczka with 66 and 67 left out', () => {
    const result = tallyFile(readData('pabulib/poland_wieliczka_2023.pb'), 'poland_wieliczka_2023.pb', 'equal-shares', { exclude: ['66', '67'] });
    if (result.kind !== 'budget') throw new Error('expected a budget result');
    expect(result.selected).toHaveLength(30);
    expect(result.cost).toBe('995079');
    expect(result.excluded).toEqual(['66', '67']);
    expect(formatTallyResult(result)).toMatch(/completion add1: \d+ runs/);
  }, 120_000);

  it('schulze on .soi / .toc: winners and ranking with ids and names', () => {
    const result = tallyFile(readData('ranked/00002-00000008.toc'), '00002-00000008.toc', 'schulze', { defaultOption: 'Further Discussion' });
    expect(result).toMatchObject({
      kind: 'ranked',
      winners: [{ id: '2', name: 'Swirl' }],
      dropped: [
        { id: '1', name: 'Ants' },
        { id: '3', name: 'Seal' },
      ],
    });
    if (result.kind !== 'ranked') return;
    expect(result.ranking[0]).toEqual([{ id: '2', name: 'Swirl' }]);
    const text = formatTallyResult(result);
    expect(text).toContain('Winner: Swirl [2]');
    expect(text).toContain('Dropped before the count:');
    expect(text).toContain('Ants [1]: does not defeat "Further Discussion" by its required majority 1:1 (39 prefer it, 56 prefer "Further Discussion")');
    const leader = tallyFile(readData('ranked/00002-00000001.soi'), '00002-00000001.soi', 'schulze');
    expect(leader).toMatchObject({ winners: [{ id: '3', name: 'Bdale Garbee' }] });
  });

  it('says which rule fits which file', () => {
    expect(() => tallyFile('', 'x.pb', 'schulze')).toThrow(/equal-shares or greedy/);
    expect(() => tallyFile('', 'x.soi', 'greedy')).toThrow(/needs schulze/);
    expect(() => tallyFile('', 'x.csv', 'greedy')).toThrow(/cannot tell the format/);
    expect(() =>
      tallyFile(readData('pabulib/poland_krakow_2020_swoszowice.pb'), 'k.pb', 'equal-shares'),
    ).toThrow(/approval ballots/);
  });
});
