import { describe, expect, it } from '@jest/globals';
import { planBallots, type VotingMember } from './ballots.js';

const members: VotingMember[] = [
  ...Array.from({ length: 4 }, (_, i) => ({ key: `lab${i}`, role: 'fab_unit_delegate' as const, labId: `unit-${i}` })),
  ...Array.from({ length: 8 }, (_, i) => ({ key: `member${i}`, role: 'community' as const, index: i })),
];
const candidates = Array.from({ length: 10 }, (_, i) => ({ key: `req-${i}`, requester: i % 8, labId: `unit-${i % 4}` }));

describe('simulated ballots', () => {
  it('are the same for the same seed, whatever the order of the members', () => {
    const a = planBallots(members, candidates, 5);
    const b = planBallots([...members].reverse(), candidates, 5);
    expect([...b].sort((x, y) => x.member.localeCompare(y.member))).toEqual([...a].sort((x, y) => x.member.localeCompare(y.member)));
    expect(planBallots(members, candidates, 6)).not.toEqual(a);
  });

  it('name only candidates, and a requester always approves their own request', () => {
    const ballots = planBallots(members, candidates, 5);
    const keys = new Set(candidates.map((c) => c.key));
    for (const b of ballots) for (const k of b.approvals) expect(keys.has(k)).toBe(true);
    for (const c of candidates) {
      const own = ballots.find((b) => b.member === `member${c.requester}`);
      expect(own?.approvals).toContain(c.key);
    }
  });

  it('leave room for choice: not every candidate is approved by everyone', () => {
    const ballots = planBallots(members, candidates, 5);
    const approvals = candidates.map((c) => ballots.filter((b) => b.approvals.includes(c.key)).length);
    expect(Math.min(...approvals)).toBeLessThan(Math.max(...approvals));
    expect(ballots.length).toBeGreaterThan(members.length / 2);
  });
});
