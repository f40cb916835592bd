import { describe, expect, it } from '@jest/globals';
import type { RoundResultView } from '#libs/contracts/src/council/index.js';
import type { RequestOutcome } from '#libs/contracts/src/production/index.js';
import { withoutProduction, withProduction } from './round-production.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';

const candidate = (id: string, funded: boolean) => ({
  productionRequestId: id,
  title: id,
  funded,
  position: funded ? 1 : null,
  votes: 2,
  score: '2',
  cost: '10',
  resources: { 'laser-cutting machine minutes': '60' },
  reason: funded ? 'funded' : 'not enough laser time',
});

const result = (): RoundResultView => ({
  roundId: '00000000-0000-4000-8000-000000000001',
  rule: 'greedy by approvals',
  tieBreak: 'id',
  members: 3,
  ballots: 3,
  quorumMet: true,
  budget: '100',
  cost: '20',
  funded: [A, B],
  candidates: [candidate(A, true), candidate(B, true), candidate(C, false)],
  remainingResources: {},
  digest: 'd'.repeat(64),
  receipts: [],
  closedAt: '2026-11-24T08:00:00.000Z',
});

const outcome = (id: string, state: string, reason: string | null, decision: string | null): RequestOutcome => ({
  id,
  state,
  reason,
  roundId: '00000000-0000-4000-8000-000000000001',
  decision,
  updatedAt: '2026-11-24T09:00:00.000Z',
});

describe('a round result with production beside the tally', () => {
  const at = new Date('2026-11-24T10:00:00Z');

  it('puts each request as production tells it next to its tally decision, and says when it was read', () => {
    const shown = withProduction(result(), [outcome(A, 'funded', 'fits', 'funded'), outcome(B, 'failed', 'No reservation could be placed', 'failed'), outcome(C, 'unfunded', 'not enough laser time', 'unfunded')], at);
    expect(shown.production).toEqual({ readAt: at.toISOString() });
    expect(shown.candidates.map((c) => [c.productionRequestId, c.funded, c.production?.state, c.production?.decision])).toEqual([
      [A, true, 'funded', 'funded'],
      [B, true, 'failed', 'failed'],
      [C, false, 'unfunded', 'unfunded'],
    ]);
    expect(shown.candidates[1]!.production).toEqual({ state: 'failed', reason: 'No reservation could be placed', decision: 'failed', roundId: result().roundId, updatedAt: '2026-11-24T09:00:00.000Z' });
  });

  it('leaves the tally as stored: same funded list, reasons and digest; the input is not changed', () => {
    const stored = result();
    const before = structuredClone(stored);
    const shown = withProduction(stored, [outcome(A, 'cancelled', 'cancelled by its requester', 'funded')], at);
    expect(stored).toEqual(before);
    const { production: _p, candidates, ...tally } = shown;
    const { candidates: storedCandidates, ...storedTally } = before;
    expect(tally).toEqual(storedTally);
    expect(candidates.map(({ production: _x, ...c }) => c)).toEqual(storedCandidates);
  });

  it("withholds production's reason from a reader who may not read it, keeping the state; a missing reason is not marked withheld", () => {
    const outcomes = [outcome(A, 'failed', 'job 7 declined: operator on holiday', 'funded'), outcome(B, 'funded', null, 'funded'), outcome(C, 'failed', 'no time', 'failed')];
    const shown = withProduction(result(), outcomes, at, (id) => id === C);
    expect(shown.candidates.map((c) => c.production)).toEqual([
      expect.objectContaining({ state: 'failed', reason: null, reasonWithheld: true, decision: 'funded' }),
      expect.not.objectContaining({ reasonWithheld: true }),
      expect.objectContaining({ state: 'failed', reason: 'no time' }),
    ]);
    expect(shown.candidates[2]!.production).not.toHaveProperty('reasonWithheld');
  });

  it('gives no production to a candidate production does not know, and shows the tally alone when production is away', () => {
    const shown = withProduction(result(), [outcome(A, 'funded', null, null)], at);
    expect(shown.candidates[0]!.production).toMatchObject({ state: 'funded', decision: null });
    expect(shown.candidates[1]).not.toHaveProperty('production');
    const alone = withoutProduction(result(), 'production did not answer', at);
    expect(alone.production).toEqual({ readAt: at.toISOString(), unavailable: 'production did not answer' });
    expect(alone.candidates).toEqual(result().candidates);
  });
});
