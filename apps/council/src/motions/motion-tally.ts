import type { MotionResultView } from '#libs/contracts/src/council/index.js';
import { Rational, schulze, strengthToString, tallyMotion as tallyYesNo } from '#libs/tally/src/index.js';
import { exact } from '../councils/council-rules.js';
import type { MotionBallotEntity, MotionEntity } from './motion.entity.js';

export type MotionTally = Omit<MotionResultView, 'motionId' | 'actionApplied' | 'receipts' | 'digest' | 'closedAt'>;

/**
 * Counts a motion with libs/tally. Yes/no: quorum on the share of members who voted (abstentions
 * count), threshold on yes against no ('majority' = yes > no, '2:1', '3:1'). Ranked: Schulze with
 * winning votes; with a default option, every other option must defeat it by the motion's majority
 * ratio or is dropped (Debian constitution A.5). A ranked motion passes when the quorum is met and
 * one option wins that is not the default option.
 */
export function tallyMotion(
  motion: Pick<MotionEntity, 'kind' | 'threshold' | 'quorum' | 'options' | 'defaultOption' | 'majorityRatio'>,
  members: number,
  ballots: Pick<MotionBallotEntity, 'choice' | 'ranking'>[],
): MotionTally {
  const quorum = exact(motion.quorum) ?? Rational.ZERO;
  if (motion.kind === 'yes-no') {
    const yes = ballots.filter((b) => b.choice === 'yes').length;
    const no = ballots.filter((b) => b.choice === 'no').length;
    const abstain = ballots.length - yes - no;
    const threshold = motion.threshold === '2:1' || motion.threshold === '3:1' ? motion.threshold : 'simple';
    const r = tallyYesNo({ yes, no, abstain, members: Math.max(1, members) }, { threshold, quorum });
    return { kind: 'yes-no', members, ballots: ballots.length, quorumMet: r.quorumMet, passed: r.passed, yes, no, abstain, explanation: r.reason };
  }

  const quorumMet = Rational.of(ballots.length).gte(quorum.mul(members));
  const options = motion.options;
  const ratio = motion.majorityRatio ?? '1';
  const result = schulze(
    options,
    ballots.map((b) => ({ tiers: (b.ranking ?? []).map((o) => [o]) })),
    {
      variant: 'winning',
      ...(motion.defaultOption
        ? { debian: { defaultOption: motion.defaultOption, majorityRatios: Object.fromEntries(options.filter((o) => o !== motion.defaultOption).map((o) => [o, ratio])) } }
        : {}),
    },
  );
  const pairwise: Record<string, number> = {};
  const strongestPaths: Record<string, string> = {};
  options.forEach((a, i) =>
    options.forEach((b, j) => {
      if (i === j) return;
      pairwise[`${a}>${b}`] = Number(result.pairwise[i]![j]!);
      strongestPaths[`${a}>${b}`] = strengthToString(result.strongestPaths[i]![j]!);
    }),
  );
  const single = result.winners.length === 1 ? result.winners[0]! : null;
  const passed = quorumMet && single !== null && single !== motion.defaultOption;
  const explanation = !quorumMet
    ? `quorum not reached: ${ballots.length} of ${members} members voted, ${quorum.toString()} needed`
    : single === null
      ? `tie between ${result.winners.join(', ')}: no option wins`
      : single === motion.defaultOption
        ? `the default option "${single}" wins: nothing is decided`
        : `"${single}" wins (Schulze, winning votes)`;
  return {
    kind: 'ranked',
    members,
    ballots: ballots.length,
    quorumMet,
    passed,
    winners: result.winners,
    ranking: result.ranking.flat(),
    pairwise,
    strongestPaths,
    droppedByDefault: result.dropped.map((d) => d.option),
    explanation: result.dropped.length ? `${explanation}; dropped: ${result.dropped.map((d) => d.reason).join('; ')}` : explanation,
  };
}
