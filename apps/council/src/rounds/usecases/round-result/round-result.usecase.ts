import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config/src/index.js';
import type { RoundResultView } from '#libs/contracts/src/council/index.js';
import { type Actor, conflict, notFound } from '#libs/contracts/src/index.js';
import { PRODUCTION_PATTERNS, type RequestOutcome } from '#libs/contracts/src/production/index.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { COUNCILS_REPOSITORY, type CouncilsRepository } from '../../../councils/councils.repository.js';
import { CLOCK, type Clock } from '../../../shared/clock.js';
import { withoutProduction, withProduction } from '../../round-production.js';
import type { RoundEntity } from '../../round.entity.js';
import { ROUNDS_REPOSITORY, type RoundsRepository } from '../../rounds.repository.js';

/**
 * A closed round's result as stored at the close, with what production made of each candidate
 * since, asked of production now.
 *
 * Decision: read on demand, not recorded from production's `production.requests.state-changed`
 * events. Those travel on Redis pub/sub, which drops whatever is sent while the council is not
 * listening (a restart, a deploy); a copy kept from them would go stale with no way to notice,
 * and would need a reconciliation read like this one anyway. Production's rows are the truth
 * and one batched call per result read is cheap. When production does not answer in time the
 * tally is shown alone, saying so: the vote's record never waits on production.
 *
 * The vote is public; production's reasons are not: a decline or fail reason may quote an
 * operator's note, so only the council's members, the request's requester and platform admins
 * read it. Everyone sees the state.
 */
@Injectable()
export class RoundResultUseCase {
  private readonly logger = new Logger('RoundResult');
  /** Half the caller's budget: the gateway waits rpcTimeoutMs for the whole answer. */
  private readonly productionTimeoutMs: number;

  constructor(
    @Inject(ROUNDS_REPOSITORY) private readonly rounds: RoundsRepository,
    @Inject(COUNCILS_REPOSITORY) private readonly councils: CouncilsRepository,
    @Inject(serviceClientToken('production')) private readonly production: ServiceClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.productionTimeoutMs = Math.max(100, Math.floor(config.rpcTimeoutMs / 2));
  }

  async execute(roundId: string, actor: Actor | null): Promise<RoundResultView> {
    const round = await this.rounds.find(roundId);
    if (!round) throw notFound('round', roundId);
    if (round.state !== 'closed' || !round.result) throw conflict(`round ${roundId} is open: its result comes at the close (${round.closesAt.toISOString()})`);
    const ids = round.result.candidates.map((c) => c.productionRequestId);
    try {
      const outcomes = await this.production.send<RequestOutcome[]>(PRODUCTION_PATTERNS.requestsOutcomes, null, { roundId, ids }, this.productionTimeoutMs);
      return withProduction(round.result, outcomes, this.clock.now(), await this.reasonReader(round, actor));
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.logger.warn(`round ${roundId}: result shown without production's side: ${why}`);
      return withoutProduction(round.result, why, this.clock.now());
    }
  }

  /** Which candidates' production reasons the actor may read. */
  private async reasonReader(round: RoundEntity, actor: Actor | null): Promise<(productionRequestId: string) => boolean> {
    if (actor?.kind !== 'person') return () => false;
    if (actor.platformAdmin || (await this.councils.member(round.councilId, actor.accountId))) return () => true;
    const own = new Set((await this.rounds.candidates(round.id)).filter((c) => c.requesterId === actor.accountId).map((c) => c.productionRequestId));
    return (id) => own.has(id);
  }
}
