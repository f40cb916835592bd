import { Inject, Injectable } from '@nestjs/common';
import type { AddCandidateDto, CandidateView } from '#libs/contracts/src/council/index.js';
import { type Actor, conflict, forbidden, notFound, unprocessable } from '#libs/contracts/src/index.js';
import { PRODUCTION_PATTERNS, type RequestForAllocation } from '#libs/contracts/src/production/index.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { text } from '../../../councils/council-rules.js';
import { COUNCILS_REPOSITORY, type CouncilsRepository } from '../../../councils/councils.repository.js';
import { person } from '../../../shared/actor.js';
import { CLOCK, type Clock } from '../../../shared/clock.js';
import { candidateView } from '../../../shared/views.js';
import { priceCostVector, stepsTooLongForAnyMachine } from '../../round-budget.js';
import { ROUNDS_REPOSITORY, type RoundsRepository } from '../../rounds.repository.js';

/**
 * Puts a submitted production request on a round's ballot: its requester or any council member
 * may. The request's plan must lie within the round's pool (every fab unit a member unit) and
 * be priceable at the council's rates, and each of its steps must fit on one pooled machine's free
 * time in the period (a step is never split); its cost and resource needs are stored with it. The list
 * of candidates is fixed once the first ballot is cast (the round row is locked FOR UPDATE here
 * and FOR SHARE by ballots), so every ballot is cast on the same list.
 */
@Injectable()
export class AddCandidateUseCase {
  constructor(
    @Inject(COUNCILS_REPOSITORY) private readonly councils: CouncilsRepository,
    @Inject(ROUNDS_REPOSITORY) private readonly rounds: RoundsRepository,
    @Inject(serviceClientToken('production')) private readonly production: ServiceClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(actor: Actor | null, roundId: string, body: AddCandidateDto): Promise<CandidateView> {
    const me = person(actor);
    const round = await this.rounds.find(roundId);
    if (!round) throw notFound('round', roundId);
    const member = await this.councils.member(round.councilId, me.accountId);

    const [request] = await this.production.send<RequestForAllocation[]>(PRODUCTION_PATTERNS.requestsForAllocation, me, {
      ids: [body.productionRequestId],
    });
    if (!request || request.id !== body.productionRequestId) {
      throw unprocessable('unknown-production-request', 'No such production request', `production request ${body.productionRequestId} does not exist`);
    }
    if (!member && request.requesterId !== me.accountId && !me.platformAdmin) {
      throw forbidden(`Only a member of council ${round.councilId} or the requester may put request ${request.id} on the ballot`);
    }
    if (request.state !== 'submitted') {
      throw conflict(`production request ${request.id} is ${request.state}; only a submitted request can enter a round`, { state: request.state });
    }
    const outside = request.fabUnitIds.filter((id) => !round.budget.fabUnitIds.includes(id));
    if (request.fabUnitIds.length === 0 || outside.length > 0) {
      throw unprocessable(
        'outside-pool',
        "The request's plan is outside the round's pool",
        request.fabUnitIds.length === 0
          ? `production request ${request.id} has no match plan`
          : `fab units ${outside.join(', ')} of its plan are not member units of council ${round.councilId}`,
        { fabUnitIds: outside },
      );
    }
    const priced = priceCostVector(request.costVector, round.rules);
    if (!priced.ok) {
      throw unprocessable('unpriceable', 'The request cannot be priced in the council unit', priced.problems.join('; '), { problems: priced.problems });
    }
    const tooLong = round.budget.largestMachineMinutes ? stepsTooLongForAnyMachine(request.steps ?? [], round.budget.largestMachineMinutes) : [];
    if (tooLong.length) {
      const said = tooLong.map(
        (s) =>
          `step ${s.stepIndex + 1} needs ${s.minutes} min of ${s.process} on one machine, and the freest pooled machine able to run it has ${s.largestMachineMinutes} min free from ${round.budget.from} to ${round.budget.to}`,
      );
      throw unprocessable('step-exceeds-machine', 'A step needs more time than any pooled machine has free in the period', said.join('; '), { steps: tooLong });
    }

    return this.rounds.transaction(async (tx) => {
      const locked = await this.rounds.lock(tx, roundId, 'update');
      if (!locked) throw notFound('round', roundId);
      if (locked.state !== 'open' || this.clock.now() >= locked.closesAt) throw conflict(`round ${roundId} is closed`);
      if ((await this.rounds.countBallots(roundId, tx)) > 0) {
        throw conflict(`voting has started in round ${roundId}: its candidates are fixed`);
      }
      const row = {
        roundId,
        productionRequestId: request.id,
        title: request.title.trim() || request.id,
        purpose: request.purpose ?? '',
        requesterId: request.requesterId,
        fabUnitIds: [...request.fabUnitIds].sort(),
        costVector: request.costVector,
        cost: text(priced.cost),
        resources: Object.fromEntries(Object.entries(priced.resources).map(([k, v]) => [k, text(v)])),
        addedBy: me.accountId,
      };
      if (!(await this.rounds.addCandidate(tx, row))) throw conflict(`production request ${request.id} is already a candidate of round ${roundId}`);
      // Inside the transaction: if production refuses (the request moved on meanwhile), the candidate is not stored.
      await this.production.send<void>(PRODUCTION_PATTERNS.requestsEnterAllocation, me, { requestIds: [request.id], roundId });
      const stored = (await this.rounds.candidates(roundId, tx)).find((c) => c.productionRequestId === request.id)!;
      return candidateView(stored);
    });
  }
}
