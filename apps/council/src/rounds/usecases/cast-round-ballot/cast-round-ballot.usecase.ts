import { Inject, Injectable } from '@nestjs/common';
import type { BallotReceipt, CastRoundBallotDto, OwnBallotView } from '#libs/contracts/src/council/index.js';
import { type Actor, badRequest, conflict, forbidden, notFound } from '#libs/contracts/src/index.js';
import { ballotReceipt } from '../../../ballots/receipt.js';
import { COUNCILS_REPOSITORY, type CouncilsRepository } from '../../../councils/councils.repository.js';
import { person } from '../../../shared/actor.js';
import { CLOCK, type Clock } from '../../../shared/clock.js';
import { rethrowBallotAfterClose } from '../../../shared/db-errors.js';
import { checkRoundBallot } from '../../ballot-rules.js';
import { ballotLine } from '../../round-tally.js';
import { ROUNDS_REPOSITORY, type RoundsRepository } from '../../rounds.repository.js';

/**
 * A member casts (or replaces) their ballot. Inside one transaction: the round row is locked
 * FOR SHARE (ballots do not wait for each other; the close's FOR UPDATE waits for them, and they
 * for it), the round is checked open and within its window, then the ballot is upserted on the
 * (round, member) unique constraint. A ballot therefore either commits before the close takes
 * its lock, and is counted, or sees the round closed and is refused with 409.
 */
@Injectable()
export class CastRoundBallotUseCase {
  constructor(
    @Inject(COUNCILS_REPOSITORY) private readonly councils: CouncilsRepository,
    @Inject(ROUNDS_REPOSITORY) private readonly rounds: RoundsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(actor: Actor | null, roundId: string, body: CastRoundBallotDto): Promise<BallotReceipt> {
    const me = person(actor);
    try {
      return await this.rounds.transaction(async (tx) => {
        const round = await this.rounds.lock(tx, roundId, 'share');
        if (!round) throw notFound('round', roundId);
        const member = await this.councils.member(round.councilId, me.accountId, tx);
        if (!member) throw forbidden(`Only members of council ${round.councilId} vote in its rounds`);
        const now = this.clock.now();
        if (round.state !== 'open') throw conflict(`round ${roundId} is closed: the ballot was not counted`);
        if (now < round.opensAt) throw conflict(`voting in round ${roundId} opens at ${round.opensAt.toISOString()}`);
        if (now >= round.closesAt) throw conflict(`voting in round ${roundId} closed at ${round.closesAt.toISOString()}: the ballot was not counted`);

        const candidates = await this.rounds.candidates(roundId, tx);
        const checked = checkRoundBallot(body, round.rules, candidates.map((c) => c.productionRequestId));
        if (!checked.ok) {
          throw badRequest(checked.errors.length === 1 ? checked.errors[0]!.message : `${checked.errors.length} fields are not valid`, checked.errors);
        }
        const line = ballotLine(checked.content);
        const receipt = ballotReceipt('round', roundId, line);
        const put = await this.rounds.putBallot(tx, { roundId, memberId: member.id, content: checked.content, receipt, castAt: now }, round.rules.replaceableBallots);
        if (!put.stored) throw conflict(`you have already voted in round ${roundId}, and its rules make ballots final`);
        return { replaced: put.replaced, receipt, castAt: now.toISOString() };
      });
    } catch (error) {
      rethrowBallotAfterClose(error);
    }
  }

  /** One's own ballot, never another's. */
  async own(actor: Actor | null, roundId: string): Promise<OwnBallotView> {
    const me = person(actor);
    const round = await this.rounds.find(roundId);
    if (!round) throw notFound('round', roundId);
    const ballot = await this.rounds.ballotOf(roundId, me.accountId);
    if (!ballot) throw notFound('ballot', `of ${me.accountId} in round ${roundId}`);
    return { roundId, ...ballot.content, receipt: ballot.receipt, castAt: ballot.castAt.toISOString() };
  }
}
