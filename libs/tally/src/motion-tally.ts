import { Rational, type RationalLike } from './rational.js';

/**
 * Yes / no / abstain motions of a council.
 *
 * Quorum: the share of members who took part (yes + no + abstain) must be at least `quorum`
 * (participants · den ≥ members · num). Abstentions count towards the quorum but not towards the
 * threshold.
 *
 * Threshold, on the decisive votes only (yes + no, which must be > 0):
 *   - 'simple': yes / (yes + no) > 1/2, i.e. yes > no (a tie fails);
 *   - '2:1':    yes / (yes + no) ≥ 2/3, i.e. yes ≥ 2·no;
 *   - '3:1':    yes / (yes + no) ≥ 3/4, i.e. yes ≥ 3·no;
 *   - `{ atLeast: r }` or `{ moreThan: r }` for any other share.
 * "N:1" is met at exactly N:1, as Debian's constitution reads it since its 2015 supermajority fix
 * (and as it did before 2003): a 2:1 majority of 20 to 10 passes.
 */
export type MotionThreshold = 'simple' | '2:1' | '3:1' | { atLeast: RationalLike } | { moreThan: RationalLike };

export interface MotionVotes {
  yes: number | bigint;
  no: number | bigint;
  abstain?: number | bigint;
  /** Members entitled to vote (for the quorum). */
  members: number | bigint;
}

export interface MotionRules {
  threshold: MotionThreshold;
  /** Share of members who must take part, e.g. "1/2". Default: no quorum. */
  quorum?: RationalLike;
}

export interface MotionResult {
  passed: boolean;
  reason: string;
  participation: Rational;
  quorumMet: boolean;
  /** yes / (yes + no), when there were decisive votes. */
  yesShare?: Rational;
  required: string;
}

export function tallyMotion(votes: MotionVotes, rules: MotionRules): MotionResult {
  const yes = BigInt(votes.yes);
  const no = BigInt(votes.no);
  const abstain = BigInt(votes.abstain ?? 0);
  const members = BigInt(votes.members);
  if (yes < 0n || no < 0n || abstain < 0n) throw new RangeError('motion: negative vote count');
  const participants = yes + no + abstain;
  if (members <= 0n) throw new RangeError('motion: there must be at least one member');
  if (participants > members) throw new RangeError(`motion: ${participants} votes but only ${members} members`);

  const participation = Rational.of(participants, members);
  const { test, required } = thresholdTest(rules.threshold);
  const quorum = rules.quorum === undefined ? undefined : Rational.from(rules.quorum);
  const quorumMet = quorum === undefined || participation.gte(quorum);
  const base = { participation, quorumMet, required };

  if (!quorumMet) {
    return {
      ...base,
      passed: false,
      reason: `quorum not reached: ${participants} of ${members} members voted, ${quorum} needed`,
    };
  }
  if (yes + no === 0n) {
    return { ...base, passed: false, reason: 'no yes or no votes (abstentions only)' };
  }
  const yesShare = Rational.of(yes, yes + no);
  const passed = test(yesShare);
  return {
    ...base,
    yesShare,
    passed,
    reason: passed
      ? `passed: ${yes} yes to ${no} no meets ${required}`
      : `failed: ${yes} yes to ${no} no does not meet ${required}`,
  };
}

function thresholdTest(threshold: MotionThreshold): { test: (share: Rational) => boolean; required: string } {
  if (threshold === 'simple') return { test: (s) => s.gt(Rational.of(1, 2)), required: 'a simple majority (more yes than no)' };
  if (threshold === '2:1') return { test: (s) => s.gte(Rational.of(2, 3)), required: 'a 2:1 majority (yes ≥ 2 × no)' };
  if (threshold === '3:1') return { test: (s) => s.gte(Rational.of(3, 4)), required: 'a 3:1 majority (yes ≥ 3 × no)' };
  if ('atLeast' in threshold) {
    const r = Rational.from(threshold.atLeast);
    return { test: (s) => s.gte(r), required: `a yes share of at least ${r}` };
  }
  const r = Rational.from(threshold.moreThan);
  return { test: (s) => s.gt(r), required: `a yes share of more than ${r}` };
}
