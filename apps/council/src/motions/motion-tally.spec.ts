import { describe, expect, it } from '@jest/globals';
import { tallyMotion } from './motion-tally.js';

const yesNo = (threshold: 'majority' | '2:1' | '3:1', quorum = '0') => ({ kind: 'yes-no' as const, threshold, quorum, options: [], defaultOption: null, majorityRatio: null });
const votes = (yes: number, no: number, abstain = 0) => [
  ...Array(yes).fill({ choice: 'yes', ranking: null }),
  ...Array(no).fill({ choice: 'no', ranking: null }),
  ...Array(abstain).fill({ choice: 'abstain', ranking: null }),
];

describe('motion tally', () => {
  it.each([
    ['majority', 3, 2, true],
    ['majority', 2, 2, false],
    ['2:1', 4, 2, true],
    ['2:1', 3, 2, false],
    ['3:1', 6, 2, true],
    ['3:1', 5, 2, false],
  ] as const)('%s with %i yes to %i no passes: %s', (threshold, yes, no, passed) => {
    expect(tallyMotion(yesNo(threshold), 10, votes(yes, no)).passed).toBe(passed);
  });

  it('counts abstentions for the quorum, not the threshold', () => {
    expect(tallyMotion(yesNo('majority', '1/2'), 10, votes(1, 0, 4))).toMatchObject({ passed: true, quorumMet: true, abstain: 4 });
    expect(tallyMotion(yesNo('majority', '1/2'), 10, votes(1, 0, 3))).toMatchObject({ passed: false, quorumMet: false });
  });

  it('counts ranked motions by Schulze (the Wikipedia 45-voter example: E wins)', () => {
    const ballots: { choice: null; ranking: string[] }[] = [];
    const add = (n: number, r: string) => {
      for (let i = 0; i < n; i++) ballots.push({ choice: null, ranking: r.split('') });
    };
    add(5, 'ACBED');
    add(5, 'ADECB');
    add(8, 'BEDAC');
    add(3, 'CABED');
    add(7, 'CAEBD');
    add(2, 'CBADE');
    add(7, 'DCEBA');
    add(8, 'EBADC');
    const r = tallyMotion({ kind: 'ranked', threshold: null, quorum: '0', options: ['A', 'B', 'C', 'D', 'E'], defaultOption: null, majorityRatio: null }, 45, ballots);
    expect(r).toMatchObject({ passed: true, winners: ['E'], ranking: ['E', 'A', 'C', 'B', 'D'] });
    expect(r.pairwise!['A>B']).toBe(20);
    expect(r.strongestPaths!['E>D']).toBe('31');
  });
});
