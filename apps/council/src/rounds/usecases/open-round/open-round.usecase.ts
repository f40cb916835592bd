import { Inject, Injectable } from '@nestjs/common';
import { type OpenRoundDto, type RoundCloseJob, type RoundView } from '#libs/contracts/src/council/index.js';
import { FABRICATION_PATTERNS } from '#libs/contracts/src/fabrication/index.js';
import { type Actor, badRequest, type FieldError, notFound, QUEUES, unprocessable } from '#libs/contracts/src/index.js';
import { OutboxWriter } from '#libs/outbox/src/index.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { COUNCILS_REPOSITORY, type CouncilsRepository } from '../../../councils/councils.repository.js';
import { ManageCouncilUseCase } from '../../../councils/usecases/manage-council/manage-council.usecase.js';
import { person } from '../../../shared/actor.js';
import { CLOCK, type Clock } from '../../../shared/clock.js';
import { roundView } from '../../../shared/views.js';
import { type PoolAnswer, snapshotBudget } from '../../round-budget.js';
import { ROUNDS_REPOSITORY, type RoundsRepository } from '../../rounds.repository.js';

/**
 * A council admin opens an allocation round: the budget is the member units' free capacity over
 * the period, asked of fabrication now and stored (later reservations do not move it), the
 * rules are copied from the council, and the close is scheduled as a delayed BullMQ job written
 * through the outbox in the same transaction (job id = round id: re-scheduling is a no-op).
 */
@Injectable()
export class OpenRoundUseCase {
  constructor(
    @Inject(COUNCILS_REPOSITORY) private readonly councils: CouncilsRepository,
    @Inject(ROUNDS_REPOSITORY) private readonly rounds: RoundsRepository,
    @Inject(serviceClientToken('fabrication')) private readonly fabrication: ServiceClient,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly manage: ManageCouncilUseCase,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute(actor: Actor | null, councilId: string, body: OpenRoundDto): Promise<RoundView> {
    const me = person(actor);
    const council = await this.councils.find(councilId);
    if (!council) throw notFound('council', councilId);
    await this.manage.requireAdmin(me, councilId);

    const now = this.clock.now();
    const periodFrom = new Date(body.periodFrom);
    const periodTo = new Date(body.periodTo);
    const opensAt = body.opensAt ? new Date(body.opensAt) : now;
    const closesAt = new Date(body.closesAt);
    const errors: FieldError[] = [];
    if (!(periodTo > periodFrom)) errors.push({ field: 'periodTo', message: 'periodTo must be after periodFrom' });
    // A period already over can fund nothing: production reserves only inside it. One under way
    // (a start in the past, e.g. "from now on") is fine: its budget counts what is left of it.
    else if (!(periodTo > now)) errors.push({ field: 'periodTo', message: `periodTo must be in the future: the period ${body.periodFrom} to ${body.periodTo} is over` });
    if (!(closesAt > opensAt)) errors.push({ field: 'closesAt', message: 'closesAt must be after opensAt' });
    if (!(closesAt > now)) errors.push({ field: 'closesAt', message: 'closesAt must be in the future' });
    if (errors.length) throw badRequest(errors.length === 1 ? errors[0]!.message : `${errors.length} fields are not valid`, errors);

    const units = await this.councils.fabUnits(councilId);
    if (units.length === 0) {
      throw unprocessable('no-pooled-capacity', 'The council pools no capacity', `council ${councilId} has no fab units yet: add one with POST /councils/${councilId}/fab-units`);
    }
    // Time already past is no capacity: a period under way is budgeted from now.
    const countFrom = periodFrom > now ? periodFrom : now;
    const pool = await this.fabrication.send<PoolAnswer>(FABRICATION_PATTERNS.capacityPool, me, {
      fabUnitIds: units.map((u) => u.fabUnitId),
      from: countFrom.toISOString(),
      to: periodTo.toISOString(),
    });
    const budget = snapshotBudget(pool, council.rules);

    const round = await this.rounds.transaction(async (tx) => {
      const created = await this.rounds.create(tx, {
        councilId,
        title: body.title.trim(),
        periodFrom,
        periodTo,
        opensAt,
        closesAt,
        rules: council.rules,
        budget,
        createdBy: me.accountId,
      });
      const job: RoundCloseJob = { roundId: created.id };
      await this.outbox.write(tx, [
        { queue: QUEUES.roundCloses, name: 'close', payload: job, jobId: created.id, delayMs: Math.max(0, closesAt.getTime() - this.clock.now().getTime()) },
      ]);
      return created;
    });
    return roundView(round, [], 0);
  }
}
