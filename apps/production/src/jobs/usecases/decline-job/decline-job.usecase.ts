import { type Actor, forbidden, notFound } from '#libs/contracts/src/index.js';
import type { PlacedReservation } from '#libs/contracts/src/fabrication/messages.js';
import type { PlanStep } from '#libs/contracts/src/production/views.js';
import type { MatchResult } from '#libs/contracts/src/fabrication/matching.js';
import { matchInPool, placeInPool } from '../../../requests/place-in-pool.js';
import { placementWindow } from '../../../requests/placement-window.js';
import { describeSearch, type PoolSearch } from '../../../requests/pool-placement.js';
import { nextCandidateStep } from '../../../requests/plan.js';
import type { RequestRow } from '../../../requests/typeorm-requests.repository.js';
import type { FundRequest } from '../../../requests/usecases/fund-request/fund-request.usecase.js';
import { nameUuid } from '../../../shared/ids.js';
import { actorColumns } from '../../../shared/actor-columns.js';
import { isRefusal, type Neighbours } from '../../../shared/neighbours.js';
import { canJob, illegalJobTransition } from '../../job-state.js';
import type { JobWork } from '../../job-work.js';

/** A rerouted job's id: the step's next attempt at a given unit (also its reservation key). */
export const rerouteJobId = (requestId: string, stepIndex: number, attempt: number, fabUnitId: string) =>
  nameUuid('job', requestId, String(stepIndex), String(attempt), fabUnitId);

/** How many further candidates of the match's alternatives a decline tries before the request fails for want of a unit. */
const MAX_TRIES = 5;

/** The funding round's pool, when a round funded the request and production kept it. */
function fundingPool(request: RequestRow): string[] | null {
  return request.pool_fab_unit_ids?.length ? request.pool_fab_unit_ids : null;
}

/** The funding round's period, when a round funded the request and production kept it. */
function fundingPeriod(request: RequestRow): { from: string; to: string } | null {
  if (!request.period_from || !request.period_to) return null;
  return { from: new Date(request.period_from).toISOString(), to: new Date(request.period_to).toISOString() };
}

/**
 * A unit declines a job: the job ends `declined`, its reservation is released, and the step is
 * rerouted to the next candidate of the request's match (same step, the next ranked unit not
 * tried yet) with a new job and reservation there. Nobody left: the request fails.
 * The new reservation goes where the first one could (placement-window.ts): before needBy, and
 * inside the funding round's period when a round funded the request — time outside it was in
 * no round's budget. For the same reason a request funded by a round whose pool production
 * kept goes only to units of that pool: first the match's alternatives among them, then any
 * other machine of the pool, in the engine's ranking (place-in-pool.ts), as funding does. No
 * unit with time there fails the request, saying so.
 * The new reservation is placed before the transaction (it is idempotent by the new job id);
 * if the decline then loses a race, it is released again.
 */
export class DeclineJob {
  constructor(
    private readonly work: JobWork,
    private readonly neighbours: Neighbours,
    private readonly fund: FundRequest,
  ) {}

  async execute(jobId: string, actor: Actor | null, reason?: string): Promise<void> {
    const m = this.work.dataSource.manager;
    const job = await this.work.jobs.find(m, jobId);
    if (!job) throw notFound('job', jobId);
    if (actor?.kind === 'machine' && actor.fabUnitId !== job.fab_unit_id) {
      throw forbidden(`This API key belongs to fab unit ${actor.fabUnitId}, not to the unit of job ${jobId}`);
    }
    if (!canJob(job.state, 'decline')) throw illegalJobTransition(jobId, job.state, 'decline');
    const request = (await this.work.requests.find(m, job.request_id))!;
    const who = actorColumns(actor);

    const tried = await this.work.jobs.unitsTriedForStep(m, request.id, job.step_index);
    let next: { step: PlanStep; reservation: PlacedReservation; jobId: string } | null = null;
    const period = fundingPeriod(request);
    const pool = fundingPool(request);
    const window = placementWindow(new Date(), request.need_by, period);
    let lastRefusal: string | null = null;
    let search: PoolSearch | null = null;
    for (let i = 0; window.ok && i < MAX_TRIES; i++) {
      const step = nextCandidateStep(request.alternatives ?? [], job.step_index, tried, pool ? new Set(pool) : undefined);
      if (!step) break;
      tried.add(step.fabUnitId);
      try {
        // The job id (and so the reservation key) names the unit: each candidate tried has its own.
        const key = rerouteJobId(request.id, job.step_index, job.attempt + 1, step.fabUnitId);
        const reservation = await this.neighbours.placeReservation({
          key,
          fabUnitId: step.fabUnitId,
          machineId: step.machineId,
          process: step.machineProcess || step.process,
          material: step.material,
          ...(step.envelopeMm ? { envelopeMm: step.envelopeMm } : {}),
          minutes: step.minutes,
          materialQuantity: step.materialQuantity,
          materialUnit: step.materialUnit,
          notBefore: window.notBefore,
          needBy: window.deadline,
          designVersionId: request.design_version_id,
        });
        next = { step, reservation, jobId: key };
        break;
      } catch (error) {
        if (!isRefusal(error)) throw error;
        lastRefusal = error.message;
      }
    }
    // The alternatives were the whole match's, ranked when the request was made: the pool's
    // other machines may have room they do not name (another machine of a tried unit aside).
    const planned = request.plan?.steps.find((s) => s.stepIndex === job.step_index);
    if (!next && window.ok && pool && planned) {
      let ranking: Promise<MatchResult | null> | null = null;
      const found = await placeInPool(this.neighbours, {
        match: () => (ranking ??= matchInPool(this.neighbours, request, pool, window.deadline)),
        stepIndex: job.step_index,
        placement: {
          process: planned.machineProcess || planned.process,
          material: planned.material,
          ...(planned.envelopeMm ? { envelopeMm: planned.envelopeMm } : {}),
          minutes: planned.minutes,
          materialQuantity: planned.materialQuantity,
          materialUnit: planned.materialUnit,
          notBefore: window.notBefore,
          needBy: window.deadline,
          designVersionId: request.design_version_id,
        },
        pool,
        skip: tried,
        keyFor: (fabUnitId) => rerouteJobId(request.id, job.step_index, job.attempt + 1, fabUnitId),
      });
      if (found.ok) {
        const step = { ...planned, fabUnitId: found.unit.fabUnitId, fabUnitName: found.unit.fabUnitName, machineId: found.reservation.machineId };
        next = { step, reservation: found.reservation, jobId: found.key };
      } else {
        search = found.search;
        lastRefusal = found.search.lastRefusal ?? lastRefusal;
      }
    }

    // An illegal decline still commits: the reroute's reservation was placed in fabrication
    // before this transaction, and only a committed release message gives it back. Unless a
    // concurrent decline of the same job won: its reroute has the same deterministic key, so
    // the reservation is that job's now (the request lock orders the two; the loser sees it).
    const illegalFrom = await this.work.tx(async (tx, events): Promise<string | null> => {
      await this.work.requests.lock(tx, [request.id]);
      const rows = await this.work.jobs.transition(tx, [jobId], 'decline', who, {
        reason: reason ?? 'declined',
        detail: { ...(reason ? { reason } : {}), reroutedTo: next ? next.jobId : null },
      });
      if (rows.length === 0) {
        if (next && !(await this.work.jobs.find(tx, next.jobId))) events.ended.outcome([next.jobId], 'release');
        const current = await this.work.jobs.find(tx, jobId);
        return current!.state;
      }
      await this.work.after(tx, events, rows, 'decline', who, {});
      if (next) {
        await this.fund.insertJobs(
          tx,
          events,
          [
            {
              id: next.jobId,
              requestId: request.id,
              stepIndex: job.step_index,
              attempt: job.attempt + 1,
              fabUnitId: next.step.fabUnitId,
              machineId: next.reservation.machineId ?? next.step.machineId,
              process: next.step.machineProcess || next.step.process,
              material: next.step.material,
              minutes: next.step.minutes,
              materialQuantity: next.step.materialQuantity,
              materialUnit: next.step.materialUnit,
              reservation: next.reservation,
              reroutedFrom: jobId,
            },
          ],
          who,
          { kind: 'reroute', from: jobId },
        );
      } else {
        const failure = !window.ok
          ? `job ${jobId} was declined by its unit and step ${job.step_index + 1} cannot be rerouted: ${window.reason}`
          : `job ${jobId} was declined by its unit and no other candidate could take step ${job.step_index + 1}` +
            (period ? ` inside the round's period (${period.from} to ${period.to})` : '') +
            (search
              ? ` on the machines of the round's pool (${job.minutes} minutes of ${job.process}; ${describeSearch({ ...search, lastRefusal: null })})`
              : '') +
            (lastRefusal ? `: ${lastRefusal}` : '');
        this.work.requestEvents(events, await this.work.requests.transition(tx, [request.id], 'fail', who, { reason: failure }), 'fail');
        await this.work.cancelJobsOf(tx, events, [request.id], who, 'the request failed: a step found no unit');
      }
      return null;
    });
    if (illegalFrom !== null) throw illegalJobTransition(jobId, illegalFrom, 'decline');
  }
}
