import type { RoundResultView } from '#libs/contracts/src/council/index.js';
import type { RequestOutcome } from '#libs/contracts/src/production/index.js';

/**
 * The stored result of a round with production's side beside each candidate: a copy, the
 * tally's fields untouched (the stored result and its digest are the vote's record; what
 * production made of a funded request since — failed for want of machine time, cancelled — is
 * a separate fact). A candidate production does not know gets no `production`.
 */
export function withProduction(result: RoundResultView, outcomes: readonly RequestOutcome[], readAt: Date): RoundResultView {
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  return {
    ...result,
    candidates: result.candidates.map((c) => {
      const o = byId.get(c.productionRequestId);
      return o ? { ...c, production: { state: o.state, reason: o.reason, decision: o.decision, roundId: o.roundId, updatedAt: o.updatedAt } } : { ...c };
    }),
    production: { readAt: readAt.toISOString() },
  };
}

/** The stored result when production could not be asked: the tally alone, saying why. */
export function withoutProduction(result: RoundResultView, why: string, readAt: Date): RoundResultView {
  return { ...result, production: { readAt: readAt.toISOString(), unavailable: why } };
}
