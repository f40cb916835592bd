import type { RoundResultView } from '#libs/contracts/src/council/index.js';
import type { RequestOutcome } from '#libs/contracts/src/production/index.js';

/**
 * The stored result of a round with production's side beside each candidate: a copy, the
 * tally's fields untouched (the stored result and its digest are the vote's record; what
 * production made of a funded request since — failed for want of machine time, cancelled — is
 * a separate fact). A candidate production does not know gets no `production`. Production's
 * reason is shown only where `readsReason` says: it may quote an operator's note.
 */
export function withProduction(
  result: RoundResultView,
  outcomes: readonly RequestOutcome[],
  readAt: Date,
  readsReason: (productionRequestId: string) => boolean = () => true,
): RoundResultView {
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  return {
    ...result,
    candidates: result.candidates.map((c) => {
      const o = byId.get(c.productionRequestId);
      if (!o) return { ...c };
      const shown = readsReason(c.productionRequestId);
      const reason = shown || o.reason === null ? { reason: o.reason } : { reason: null, reasonWithheld: true as const };
      return { ...c, production: { state: o.state, ...reason, decision: o.decision, roundId: o.roundId, updatedAt: o.updatedAt } };
    }),
    production: { readAt: readAt.toISOString() },
  };
}

/** The stored result when production could not be asked: the tally alone, saying why. */
export function withoutProduction(result: RoundResultView, why: string, readAt: Date): RoundResultView {
  return { ...result, production: { readAt: readAt.toISOString(), unavailable: why } };
}
