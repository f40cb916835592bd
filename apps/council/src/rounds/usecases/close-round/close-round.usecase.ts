import { Inject, Injectable, Logger } from '@nestjs/common';
import type { RoundResultView } from '#libs/contracts/src/council/index.js';
import { type Actor, conflict, notFound, QUEUES } from '#libs/contracts/src/index.js';
import type { AllocationDecisionMessage } from '#libs/contracts/src/production/index.js';
import { OutboxWriter } from '#libs/outbox/src/index.js';
import { COUNCILS_REPOSITORY, type CouncilsRepository } from '../../../councils/councils.repository.js';
import { ManageCouncilUseCase } from '../../../councils/usecases/manage-council/manage-council.usecase.js';
import { person } from '../../../shared/actor.js';
import { CLOCK, type Clock } from '../../../shared/clock.js';
import { buildRoundInstance, exportRoundInstance, roundDigest, tallyRoundInstance } from '../../round-tally.js';
import { ROUNDS_REPOSITORY, type RoundsRepository } from '../../rounds.repository.js';

/**
 * Closes a round and counts it, in one transaction that holds the round row FOR UPDATE: it
 * waits for the ballots in flight (they hold it FOR SHARE) and makes later ones wait, then see
 * the round closed. The count runs on the anonymised Pabulib instance of the round (see
 * round-tally.ts), whose SHA-256 is the result's digest; the result, the export and one
 * AllocationDecisionMessage per candidate (funded or not, with the round's period and pool,
 * through the outbox, to production) commit together.
 */
@Injectable()
export class CloseRoundUseCase {
  private readonly logger = new Logger('CloseRound');

  constructor(
    @Inject(COUNCILS_REPOSITORY) private readonly councils: CouncilsRepository,
    @Inject(ROUNDS_REPOSITORY) private readonly rounds: RoundsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly manage: ManageCouncilUseCase,
    private readonly outbox: OutboxWriter,
  ) {}

  /** An admin closes early (or on time). 409 when it is already closed. */
  async byAdmin(actor: Actor | null, roundId: string): Promise<RoundResultView> {
    const me = person(actor);
    const round = await this.rounds.find(roundId);
    if (!round) throw notFound('round', roundId);
    await this.manage.requireAdmin(me, round.councilId);
    const result = await this.close(roundId, me.accountId);
    if (!result) throw conflict(`round ${roundId} is already closed`);
    return result;
  }

  /** The scheduled close (BullMQ delayed job): idempotent, a second run changes nothing. */
  async scheduled(roundId: string): Promise<void> {
    const round = await this.rounds.find(roundId);
    if (!round || round.state === 'closed') return;
    const early = round.closesAt.getTime() - this.clock.now().getTime();
    // A job that fires early (clock skew between hosts) fails and is retried with backoff.
    if (early > 1000) throw new Error(`round ${roundId} closes in ${early} ms; retrying later`);
    await this.close(roundId, null);
  }

  /** Null when the round was closed already. */
  async close(roundId: string, closedBy: string | null): Promise<RoundResultView | null> {
    const result = await this.rounds.transaction(async (tx) => {
      const round = await this.rounds.lock(tx, roundId, 'update');
      if (!round) throw notFound('round', roundId);
      if (round.state === 'closed') return null;
      const council = await this.councils.find(round.councilId, tx);
      const members = await this.councils.countMembers(round.councilId, tx);
      const candidates = await this.rounds.candidates(roundId, tx);
      const ballots = await this.rounds.ballots(roundId, tx);
      const closedAt = this.clock.now();

      const instance = buildRoundInstance({
        roundId,
        title: round.title,
        councilName: council?.name ?? round.councilId,
        rules: round.rules,
        budget: round.budget,
        members,
        opensAt: round.opensAt,
        closesAt: round.closesAt,
        candidates: candidates.map((c) => ({ id: c.productionRequestId, name: c.title, cost: c.cost, resources: c.resources })),
        ballots: ballots.map((b) => b.content),
      });
      const digest = roundDigest(instance);
      const outcome = tallyRoundInstance(instance);
      const result: RoundResultView = {
        roundId,
        ...outcome,
        digest,
        receipts: ballots.map((b) => b.receipt).sort(),
        ...(round.rules.secretBallots
          ? {}
          : { ballotsByMember: ballots.map((b) => ({ accountId: b.accountId, ballot: b.content })).sort((a, b) => a.accountId.localeCompare(b.accountId)) }),
        closedAt: closedAt.toISOString(),
      };
      await this.rounds.close(tx, roundId, { result, digest, exportPb: exportRoundInstance(instance, outcome), closedAt, closedBy });
      // The period and the pool go with each decision: the budget was the pool's free time in the
      // period, so that is where production reserves the funded jobs' machine time — on any
      // machine of the pool, not only the one a request's plan named.
      const period = { from: round.periodFrom.toISOString(), to: round.periodTo.toISOString() };
      const pool = [...(round.budget.fabUnitIds ?? [])];
      await this.outbox.write(
        tx,
        outcome.candidates.map((c) => {
          const message: AllocationDecisionMessage = { roundId, requestId: c.productionRequestId, funded: c.funded, reason: c.reason, period, ...(pool.length ? { poolFabUnitIds: pool } : {}) };
          return { queue: QUEUES.allocations, name: c.funded ? 'funded' : 'unfunded', payload: message, jobId: `${roundId}-${c.productionRequestId}` };
        }),
      );
      return result;
    });
    if (result) this.logger.log(`round ${roundId} closed: ${result.funded.length} of ${result.candidates.length} candidates funded, digest ${result.digest}`);
    return result;
  }

  async exportPb(roundId: string): Promise<{ text: string }> {
    const round = await this.rounds.find(roundId);
    if (!round) throw notFound('round', roundId);
    if (round.state !== 'closed') throw conflict(`round ${roundId} is open: ballots are exported after the close`);
    return { text: (await this.rounds.exportOf(roundId))! };
  }
}
