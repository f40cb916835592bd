import { describe, expect, it } from '@jest/globals';
import { type CouncilRules, DEFAULT_COUNCIL_RULES } from '#libs/contracts/src/council/index.js';
import { checkRoundBallot } from './ballot-rules.js';

const rules = (over: Partial<CouncilRules> = {}): CouncilRules => ({ ...DEFAULT_COUNCIL_RULES, ...over });
const ids = ['a', 'b', 'c'];

describe('round ballots', () => {
  it.each([
    ['approval, a subset', rules(), { approvals: ['c', 'a'] }, { approvals: ['a', 'c'] }],
    ['approval, empty (counts for the quorum)', rules(), { approvals: [] }, { approvals: [] }],
    ['cumulative within maxPoints, zeros dropped', rules({ ballotType: 'cumulative', maxPoints: 5 }), { points: { b: 3, a: 2, c: 0 } }, { points: { a: 2, b: 3 } }],
    ['ranked', rules({ ballotType: 'ranked' }), { ranking: ['b', 'a'] }, { ranking: ['b', 'a'] }],
  ])('takes %s', (_name, r, ballot, content) => {
    expect(checkRoundBallot(ballot, r, ids)).toEqual({ ok: true, content });
  });

  it.each([
    ['another ballot type', rules(), { points: { a: 1 } }, ['points', 'approvals']],
    ['an unknown candidate', rules(), { approvals: ['a', 'z'] }, ['approvals.1']],
    ['too many points', rules({ ballotType: 'cumulative', maxPoints: 3 }), { points: { a: 2, b: 2 } }, ['points']],
    ['fractional points', rules({ ballotType: 'cumulative' }), { points: { a: 1.5 } }, ['points.a']],
    ['a repeated rank', rules({ ballotType: 'ranked' }), { ranking: ['a', 'a'] }, ['ranking']],
  ])('refuses %s', (_name, r, ballot, fields) => {
    const checked = checkRoundBallot(ballot, r, ids);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.errors.map((e) => e.field)).toEqual(fields);
  });
});
