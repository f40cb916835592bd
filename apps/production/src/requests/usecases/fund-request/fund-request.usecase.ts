import { conflict, type DomainError, notFound } from '#libs/contracts/src/index.js';
import type { MatchResult } from '#libs/contracts/src/fabrication/matching.js';
import type { PlacedReservation } from '#libs/contracts/src/fabrication/messages.js';
import type { RequestState } from '#libs/contracts/src/production/states.js';
import type { PlanStep } from '#libs/contracts/src/production/views.js';
import type { JobWork } from '../../../jobs/job-work.js';
import type { NewJob } from '../../../jobs/typeorm-jobs.repository.js';
import type { ActorColumns } from '../../../shared/actor-columns.js';
import { Batcher, type BatcherOptions } from '../../../shared/batcher.js';
import { nameUuid } from '../../../shared/ids.js';
import { isRefusal, type Neighbours } from '../../../shared/neighbours.js';
import { fabQueueMessages } from '../../../shared/outbox-messages.js';
import { matchInPool, placeInPool } from '../../place-in-pool.js';
import { placementWindow } from '../../placement-window.js';
import { describeMoves, poolRefusalReason, type StepMove } from '../../pool-placement.js';
import type { RequestRow, TransitionedRequest } from '../../typeorm-requests.repository.js';

type Tx = Parameters<Parameters<JobWork['tx']>[0]>[0];
type Events = Parameters<Parameters<JobWork['tx']>[0]>[1];

export interface FundingItem {
  requestId: string;
  /** `step`: where the job is done (the plan's step, or where it moved to inside the pool). */
  placed: readonly { step: PlanStep; jobId: string; reservation: PlacedReservation }[];
  /** Steps placed on another machine of the pool than the plan named. */
  moves?: readonly StepMove[];
  /** Why it was funded, when it has a reason of its own (a round's tally gives each candidate one); else the source's. */
  reason?: string;
}

export interface FundingResult {
  requestId: string;
  outcome: 'funded' | 'moot';
  jobIds: string[];
}

type AllocationSource = Extract<FundingSource, { kind: 'allocation' }>;

export type FundingSource =
  | { kind: 'direct' }
  /**
   * `period`: the round's; its reservations go inside it (see placement-window.ts). `pool`: the
   * round's fab units; a step whose planned machine has no room goes to another of their machines.
   */
  | { kind: 'allocation'; roundId: string; reason: string; period?: { from: string; to: string }; pool?: readonly string[] };

export interface FundOutcome {
  outcome: 'funded' | 'failed' | 'moot';
  state: RequestState;
  reason?: string;
  jobIds: string[];
}

/** The id of the job doing `stepIndex` of a request on its `attempt`-th placement (0, then 1 per reroute). */
export const jobIdFor = (requestId: string, stepIndex: number, attempt: number) => nameUuid('job', requestId, String(stepIndex), String(attempt));

/**
 * A funded request becomes jobs: one per step of its plan at one machine, each holding a
 * reservation placed at fabrication (idempotent by the job id, so a retry places nothing twice),
 * then jobs, transitions and the fab units' queue entries are written in one transaction
 * (through the outbox: BullMQ gets them after the commit, under the job id).
 *
 * A reservation refused on the plan's machine (the slot or stock is gone: other candidates of
 * the round took it, or another round funded the same time of a unit both councils pool) is
 * tried on the other machines of the round's pool, in the engine's ranking (place-in-pool.ts):
 * the round's budget was the pool's time per process, not the planned machine's. The key stays
 * the job id wherever the step lands, so a retry finds its first placement again. A step moved
 * is recorded on the fund transition and in the reason. Only when no machine of the pool has
 * room (or, for a direct request or a decision without its pool, the plan's machine has none)
 * does the request fail, with the reason, releasing what was placed; so does a round period
 * with no time left. Fabrication not answering throws (the caller retries: nothing was written).
 *
 * A round's funded decisions, placed, are written in shared transactions (`roundWrites`): the
 * allocation worker applies many at once, and each would otherwise commit alone.
 */
export class FundRequest {
  /**
   * The database halves of a round's funded decisions. They arrive together (the allocation
   * worker applies many at once, each after placing its reservations), and share transactions
   * here as `writeFunded` does for a whole round: one commit, one fund statement per reason,
   * one job insert and one queue row per unit for all of them instead of one each.
   */
  private readonly roundWrites: Batcher<string, { item: FundingItem; source: AllocationSource; actor: ActorColumns }, FundingResult>;

  constructor(
    private readonly work: JobWork,
    private readonly neighbours: Neighbours,
    batch: BatcherOptions = {},
  ) {
    this.roundWrites = new Batcher((_key, writes) => this.writeFunded(writes.map((w) => w.item), writes[0]!.source, writes[0]!.actor), {
      maxBatch: 200,
      ...batch,
    });
  }

  /** Transactions the round's funded decisions shared so far (see roundWrites). */
  get roundWriteStats(): Batcher<string, unknown, FundingResult>['stats'] {
    return this.roundWrites.stats;
  }

  async execute(requestId: string, source: FundingSource, actor: ActorColumns): Promise<FundOutcome> {
    const request = await this.work.requests.find(this.work.dataSource.manager, requestId);
    if (!request) throw notFound('production request', requestId);
    const from: RequestState[] = source.kind === 'direct' ? ['submitted'] : ['submitted', 'in_allocation'];
    if (!from.includes(request.state) || !request.plan) {
      if (source.kind === 'allocation') await this.recordMoot(request, source, actor);
      return { outcome: 'moot', state: request.state, jobIds: [] };
    }

    const placed: { step: PlanStep; jobId: string; reservation: PlacedReservation }[] = [];
    const moves: StepMove[] = [];
    const period = source.kind === 'allocation' ? (source.period ?? null) : null;
    const pool = source.kind === 'allocation' && source.pool?.length ? source.pool : null;
    const window = placementWindow(new Date(), request.need_by, period);
    let refusal: DomainError | null = window.ok ? null : conflict(window.reason);
    let failure: string | null = null;
    if (window.ok) {
      let notBefore = window.notBefore;
      // One ranking of the pool for the whole request, asked only when a planned machine is full.
      let ranking: Promise<MatchResult | null> | null = null;
      const match = () => (ranking ??= matchInPool(this.neighbours, request, pool!, window.deadline));
      for (const step of request.plan.steps) {
        const jobId = jobIdFor(request.id, step.stepIndex, 0);
        const placement = {
          process: step.machineProcess || step.process,
          material: step.material,
          ...(step.envelopeMm ? { envelopeMm: step.envelopeMm } : {}),
          minutes: step.minutes,
          materialQuantity: step.materialQuantity,
          materialUnit: step.materialUnit,
          notBefore,
          needBy: window.deadline,
          designVersionId: request.design_version_id,
        };
        let reservation: PlacedReservation;
        let at: { fabUnitId: string; fabUnitName: string } = step;
        try {
          reservation = await this.neighbours.placeReservation({ ...placement, key: jobId, fabUnitId: step.fabUnitId, machineId: step.machineId });
        } catch (error) {
          if (!isRefusal(error)) throw error;
          if (!pool) {
            refusal = error;
            break;
          }
          const found = await placeInPool(this.neighbours, { match, stepIndex: step.stepIndex, placement, pool, skip: new Set(), keyFor: () => jobId });
          if (!found.ok) {
            refusal = error;
            failure = poolRefusalReason({
              plannedUnitName: step.fabUnitName,
              plannedRefusal: error.message,
              stepIndex: step.stepIndex,
              process: placement.process,
              minutes: step.minutes,
              period,
              deadline: window.deadline,
              search: found.search,
            });
            break;
          }
          reservation = found.reservation;
          at = found.unit;
        }
        // A replayed key answers where its first placement went, which may be another unit.
        if (reservation.fabUnitId !== at.fabUnitId) at = { fabUnitId: reservation.fabUnitId, fabUnitName: reservation.fabUnitId };
        const where = { ...step, fabUnitId: at.fabUnitId, fabUnitName: at.fabUnitName, machineId: reservation.machineId ?? step.machineId };
        if (where.machineId !== step.machineId || where.fabUnitId !== step.fabUnitId) {
          moves.push({
            stepIndex: step.stepIndex,
            process: placement.process,
            minutes: step.minutes,
            from: { fabUnitId: step.fabUnitId, fabUnitName: step.fabUnitName, machineId: step.machineId },
            to: { fabUnitId: where.fabUnitId, fabUnitName: where.fabUnitName, machineId: where.machineId },
          });
        }
        placed.push({ step: where, jobId, reservation });
        // Steps run in order: the next starts after this one completes.
        if (reservation.completion > notBefore) notBefore = reservation.completion;
      }
    }

    if (!refusal && source.kind === 'allocation') {
      const item: FundingItem = { requestId: request.id, placed, reason: source.reason, ...(moves.length ? { moves } : {}) };
      const key = JSON.stringify([source.roundId, source.period ?? null, source.pool ?? null, actor]);
      const result = await this.roundWrites.add(key, { item, source, actor });
      const state = result.outcome === 'funded' ? 'funded' : ((await this.work.requests.find(this.work.dataSource.manager, request.id))?.state ?? request.state);
      return { outcome: result.outcome, state, jobIds: result.jobIds };
    }

    const roundId = source.kind === 'allocation' ? source.roundId : null;
    return this.work.tx(async (m, events) => {
      await this.work.requests.lock(m, [request.id]);

      if (refusal) {
        const reason =
          failure ??
          `No reservation could be placed at ${placed.length < request.plan!.steps.length ? request.plan!.steps[placed.length]!.fabUnitName : 'the unit'}: ${refusal.message}`;
        const rows = await this.work.requests.transition(m, [request.id], 'fail', actor, { reason, roundId });
        this.work.requestEvents(events, rows, 'fail');
        events.ended.outcome(placed.map((p) => p.jobId), 'release');
        await this.decide(m, source, request.id, 'failed');
        const now = await this.work.requests.find(m, request.id);
        return { outcome: 'failed' as const, state: now!.state, reason, jobIds: [] };
      }

      const [result] = await this.writeFundedIn(m, events, [{ requestId: request.id, placed, ...(moves.length ? { moves } : {}) }], source, actor);
      const now = await this.work.requests.find(m, request.id);
      return { outcome: result!.outcome, state: now!.state, jobIds: result!.jobIds };
    });
  }

  /**
   * The database half of funding, for many requests whose reservations are placed: one
   * transaction (a round's funded candidates arrive together, and PostgreSQL prefers few
   * large commits). A request no longer fundable is left alone; its reservations are
   * released unless it already holds these very jobs (an earlier delivery funded it).
   * One result per item, in the order given.
   */
  async writeFunded(items: readonly FundingItem[], source: FundingSource, actor: ActorColumns): Promise<FundingResult[]> {
    return this.work.tx((m, events) => this.writeFundedIn(m, events, items, source, actor));
  }

  private async writeFundedIn(m: Tx, events: Events, items: readonly FundingItem[], source: FundingSource, actor: ActorColumns): Promise<FundingResult[]> {
    const ids = items.map((i) => i.requestId);
    await this.work.requests.lock(m, ids);
    const reasonOf = (item: FundingItem) => item.reason ?? (source.kind === 'allocation' ? source.reason : undefined);
    const fund = (requestIds: readonly string[], reason: string | undefined, moves?: readonly StepMove[]) =>
      this.work.requests.transition(m, requestIds, 'fund', actor, {
        roundId: source.kind === 'allocation' ? source.roundId : null,
        ...(reason !== undefined ? { reason: moves ? `${reason}; ${describeMoves(moves)}` : reason } : {}),
        detail: { ...(source.kind === 'allocation' ? { roundId: source.roundId } : { direct: true }), ...(moves ? { moved: moves } : {}) },
      });
    // One statement per reason; requests with moved steps each get their own record of where the steps went.
    const byReason = new Map<string | undefined, string[]>();
    for (const item of items.filter((i) => !i.moves?.length)) {
      const list = byReason.get(reasonOf(item));
      if (list) list.push(item.requestId);
      else byReason.set(reasonOf(item), [item.requestId]);
    }
    const rows: TransitionedRequest[] = [];
    for (const [reason, requestIds] of byReason) rows.push(...(await fund(requestIds, reason)));
    for (const item of items.filter((i) => i.moves?.length)) rows.push(...(await fund([item.requestId], reasonOf(item), item.moves)));
    this.work.requestEvents(events, rows, 'fund');
    const funded = new Set(rows.map((r) => r.id));
    // A job declined later is rerouted inside the same period and pool (decline-job.usecase.ts).
    if (source.kind === 'allocation' && source.period) await this.work.requests.setFundingPeriod(m, [...funded], source.period);
    if (source.kind === 'allocation' && source.pool?.length) await this.work.requests.setFundingPool(m, [...funded], source.pool);
    const jobs: NewJob[] = [];
    const results: FundingResult[] = [];
    const moot = items.filter((i) => !funded.has(i.requestId));
    const existing = await this.work.jobs.states(m, moot.flatMap((i) => i.placed.map((p) => p.jobId)));
    events.ended.outcome(moot.flatMap((i) => i.placed.filter((p) => !existing.has(p.jobId)).map((p) => p.jobId)), 'release');
    for (const item of items) {
      if (!funded.has(item.requestId)) {
        results.push({ requestId: item.requestId, outcome: 'moot', jobIds: item.placed.map((p) => p.jobId).filter((id) => existing.has(id)) });
        continue;
      }
      for (const { step, jobId, reservation } of item.placed) {
        jobs.push({
          id: jobId,
          requestId: item.requestId,
          stepIndex: step.stepIndex,
          attempt: 0,
          fabUnitId: step.fabUnitId,
          machineId: reservation.machineId ?? step.machineId,
          process: step.machineProcess || step.process,
          material: step.material,
          minutes: step.minutes,
          materialQuantity: step.materialQuantity,
          materialUnit: step.materialUnit,
          reservation,
          reroutedFrom: null,
        });
      }
      results.push({ requestId: item.requestId, outcome: 'funded', jobIds: item.placed.map((p) => p.jobId) });
    }
    await this.insertJobs(m, events, jobs, actor, source);
    if (source.kind === 'allocation') {
      await this.work.requests.recordDecisions(
        m,
        results.map((r, i) => ({ roundId: source.roundId, requestId: r.requestId, funded: true, reason: items[i]!.reason ?? source.reason, outcome: r.outcome })),
      );
    }
    return results;
  }

  /** Jobs, their first transition, and their queue entries (one outbox row per unit), in the caller's transaction. */
  async insertJobs(
    m: Tx,
    events: Events,
    jobs: readonly NewJob[],
    actor: ActorColumns,
    source: FundingSource | { kind: 'reroute'; from: string },
  ): Promise<void> {
    const inserted = new Set(await this.work.jobs.insertJobs(m, jobs, actor, source.kind === 'allocation' ? { roundId: source.roundId } : { source: source.kind }));
    const fresh = jobs.filter((j) => inserted.has(j.id));
    for (const j of fresh) events.job({ jobId: j.id, requestId: j.requestId, fabUnitId: j.fabUnitId, from: null, to: 'queued', action: 'create' });
    await this.work.outbox.write(m, fabQueueMessages(fresh.map((j) => ({ id: j.id, fabUnitId: j.fabUnitId }))));
  }

  private async decide(m: Tx, source: FundingSource, requestId: string, outcome: string): Promise<void> {
    if (source.kind !== 'allocation') return;
    await this.work.requests.recordDecision(m, { roundId: source.roundId, requestId, funded: true, reason: source.reason, outcome });
  }

  private async recordMoot(request: RequestRow, source: Extract<FundingSource, { kind: 'allocation' }>, _actor: ActorColumns): Promise<void> {
    await this.work.tx((m) => this.decide(m, source, request.id, 'moot'));
  }
}
