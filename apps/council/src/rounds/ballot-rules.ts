import type { CouncilRules, RoundBallotContent } from '#libs/contracts/src/council/index.js';
import type { FieldError } from '#libs/contracts/src/index.js';

/**
 * Checks a round ballot against the round's rules and candidates: the ballot type the rules
 * declare (approval subset, cumulative points up to maxPoints, or a ranking), naming only this
 * round's candidates. Returns the canonical content to store, or the field errors.
 */
export function checkRoundBallot(
  ballot: RoundBallotContent,
  rules: CouncilRules,
  candidateIds: readonly string[],
): { ok: true; content: RoundBallotContent } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const known = new Set(candidateIds);
  const expected = rules.ballotType === 'approval' ? 'approvals' : rules.ballotType === 'cumulative' ? 'points' : 'ranking';
  for (const field of ['approvals', 'points', 'ranking'] as const) {
    if (field !== expected && ballot[field] !== undefined) {
      errors.push({ field, message: `${field} is not taken here: this round takes ${rules.ballotType} ballots (${expected})` });
    }
  }
  if (ballot[expected] === undefined) errors.push({ field: expected, message: `${expected} must be given (${rules.ballotType} ballot)` });
  if (errors.length) return { ok: false, errors };

  const unknown = (ids: readonly string[], field: string) =>
    ids.forEach((id, i) => {
      if (!known.has(id)) errors.push({ field: `${field}.${i}`, message: `${id} is not a candidate of this round` });
    });

  if (expected === 'approvals') {
    unknown(ballot.approvals!, 'approvals');
    return errors.length ? { ok: false, errors } : { ok: true, content: { approvals: [...ballot.approvals!].sort() } };
  }
  if (expected === 'ranking') {
    unknown(ballot.ranking!, 'ranking');
    if (new Set(ballot.ranking).size !== ballot.ranking!.length) errors.push({ field: 'ranking', message: 'ranking names a candidate twice' });
    return errors.length ? { ok: false, errors } : { ok: true, content: { ranking: [...ballot.ranking!] } };
  }
  const points = ballot.points!;
  let total = 0;
  const clean: Record<string, number> = {};
  for (const [id, value] of Object.entries(points)) {
    if (!known.has(id)) errors.push({ field: `points.${id}`, message: `${id} is not a candidate of this round` });
    else if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      errors.push({ field: `points.${id}`, message: 'points must be a non-negative integer' });
    } else if (value > 0) {
      clean[id] = value;
      total += value;
    }
  }
  if (total > rules.maxPoints) errors.push({ field: 'points', message: `at most ${rules.maxPoints} points in all (this ballot gives ${total})` });
  const sorted = Object.fromEntries(Object.keys(clean).sort().map((k) => [k, clean[k]!]));
  return errors.length ? { ok: false, errors } : { ok: true, content: { points: sorted } };
}
