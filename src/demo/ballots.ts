import { rngFor } from '#libs/testing/src/prng.js';

/**
 * The simulated members' ballots: who turns out, and which candidates each approves. Each
 * candidate has a seeded appeal (how many members find it worth the machine time); requesters
 * approve their own requests, and a lab's delegate leans towards work planned at the lab.
 * Keyed by the stable keys of members and requests, never by server ids, so a seed always
 * gives the same ballots.
 */

export interface VotingMember {
  key: string;
  role: 'fab_unit_delegate' | 'community';
  /** The lab a delegate speaks for. */
  labId?: string;
  /** Community members: their index (requesters are named by it). */
  index?: number;
}

export interface BallotCandidate {
  key: string;
  requester: number;
  labId: string;
}

export interface PlannedBallot {
  member: string;
  approvals: string[];
}

export const TURNOUT = 0.85;

export function candidateAppeal(seed: number, candidateKey: string): number {
  return rngFor(seed, 'appeal', candidateKey).between(0.2, 0.8);
}

/** The ballots of those who vote; members left out abstain. */
export function planBallots(members: readonly VotingMember[], candidates: readonly BallotCandidate[], seed: number): PlannedBallot[] {
  const out: PlannedBallot[] = [];
  for (const member of members) {
    const rng = rngFor(seed, 'ballot', member.key);
    const votes = rng.chance(TURNOUT);
    const approvals: string[] = [];
    for (const c of candidates) {
      let p = candidateAppeal(seed, c.key);
      if (member.role === 'fab_unit_delegate' && member.labId === c.labId) p = Math.min(1, p + 0.25);
      const own = member.role === 'community' && member.index === c.requester;
      // Draw for every candidate, so one member's choices do not shift another's.
      const draw = rng.next();
      if (own || draw < p) approvals.push(c.key);
    }
    // A requester always speaks up for what they asked for.
    if (votes || approvals.some((k) => candidates.find((c) => c.key === k && member.role === 'community' && c.requester === member.index))) {
      out.push({ member: member.key, approvals });
    }
  }
  return out;
}
