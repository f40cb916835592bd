import { describe, expect, it } from '@jest/globals';
import { tallyMotion, type MotionThreshold } from './motion-tally.js';
import { Rational } from './rational.js';

describe('tallyMotion', () => {
  it.each<[MotionThreshold, number, number, boolean]>([
    ['simple', 6, 5, true],
    ['simple', 5, 5, false], // a tie is not a majority
    ['simple', 1, 0, true],
    ['2:1', 20, 10, true], // exactly 2:1 passes (≥ 2/3)
    ['2:1', 19, 10, false],
    ['3:1', 30, 10, true], // exactly 3:1 passes (≥ 3/4)
    ['3:1', 29, 10, false],
    [{ atLeast: '3/5' }, 3, 2, true],
    [{ moreThan: '3/5' }, 3, 2, false],
  ])('%j with %i yes, %i no → %s', (threshold, yes, no, passed) => {
    const result = tallyMotion({ yes, no, abstain: 3, members: 100 }, { threshold });
    expect(result.passed).toBe(passed);
    expect(result.yesShare).toEqual(Rational.of(yes, yes + no));
    expect(result.reason).toMatch(passed ? /^passed/ : /^failed/);
  });

  it('abstentions count for the quorum but not for the threshold', () => {
    const rules = { threshold: 'simple' as const, quorum: '1/2' };
    expect(tallyMotion({ yes: 3, no: 2, abstain: 5, members: 20 }, rules)).toMatchObject({ passed: true, quorumMet: true });
    const short = tallyMotion({ yes: 3, no: 2, abstain: 4, members: 20 }, rules);
    expect(short).toMatchObject({ passed: false, quorumMet: false, participation: Rational.of(9, 20) });
    expect(short.reason).toBe('quorum not reached: 9 of 20 members voted, 1/2 needed');
  });

  it('fails with abstentions only', () => {
    const result = tallyMotion({ yes: 0, no: 0, abstain: 7, members: 7 }, { threshold: '2:1' });
    expect(result).toMatchObject({ passed: false, reason: 'no yes or no votes (abstentions only)' });
  });

  it('refuses impossible counts', () => {
    expect(() => tallyMotion({ yes: 5, no: 5, members: 9 }, { threshold: 'simple' })).toThrow(/only 9 members/);
    expect(() => tallyMotion({ yes: -1, no: 0, members: 9 }, { threshold: 'simple' })).toThrow(RangeError);
  });
});
