import { conflict, notFound } from '#libs/contracts/src/index.js';
import type { AllocationDecisionMessage, RequestForAllocation, RequestOutcome } from '#libs/contracts/src/production/messages.js';
import type { JobWork } from '../../../jobs/job-work.js';
import { SYSTEM_ACTOR } from '../../../shared/actor-columns.js';
import type { FundRequest } from '../fund-request/fund-request.usecase.js';

/**
 * What production does for the council: describe requests for a ballot, take them into a round,
 * and apply the round's decisions (funded: jobs and reservations; unfunded: marked so).
 */
export class Allocation {
  constructor(
    private readonly work: JobWork,
    private readonly fund: FundRequest,
  ) {}

  async forAllocation(ids: readonly string[]): Promise<RequestForAllocation[]> {
    const rows = await this.work.requests.findMany(this.work.dataSource.manager, ids);
    return rows
      .filter((r) => r.state !== 'draft')
      .map((r) => ({
        id: r.id,
        requesterId: r.requester_id,
        designVersionId: r.design_version_id,
        title: r.title,
        quantity: r.quantity,
        purpose: r.purpose,
        needBy: new Date(r.need_by).toISOString(),
        state: r.state,
        fabUnitIds: r.plan?.fabUnitIds ?? [],
        costVector: r.cost_vector ?? { machineMinutes: {}, materials: {} },
        steps: (r.plan?.steps ?? []).map((s) => ({ stepIndex: s.stepIndex, process: s.process, minutes: s.minutes })),
      }));
  }

  /**
   * What became of a round's candidates, read when the council shows the round's result: the
   * request's state and reason now, and the outcome recorded when the decision was applied.
   */
  async outcomes(roundId: string, ids: readonly string[]): Promise<RequestOutcome[]> {
    const m = this.work.dataSource.manager;
    const [rows, decisions] = await Promise.all([this.work.requests.findMany(m, ids), this.work.requests.decisionsOf(m, roundId, ids)]);
    return rows.map((r) => ({
      id: r.id,
      state: r.state,
      reason: r.reason,
      roundId: r.round_id,
      decision: decisions.get(r.id) ?? null,
      updatedAt: new Date(r.updated_at).toISOString(),
    }));
  }

  /**
   * submitted → in_allocation for all of them, or none (409 naming the first that is not
   * submitted). Repeating the call for the same round changes nothing.
   */
  async enterAllocation(requestIds: readonly string[], roundId: string): Promise<void> {
    const ids = [...new Set(requestIds)].sort();
    await this.work.tx(async (m, events) => {
      await this.work.requests.lock(m, ids);
      const rows = await this.work.requests.findMany(m, ids);
      const byId = new Map(rows.map((r) => [r.id, r]));
      const todo: string[] = [];
      for (const id of ids) {
        const r = byId.get(id);
        if (!r) throw notFound('production request', id);
        if (r.state === 'in_allocation' && r.round_id === roundId) continue;
        if (r.state !== 'submitted' || r.mode !== 'pooled') {
          throw conflict(
            r.mode === 'direct'
              ? `Production request ${id} is a direct request: it is not allocated by councils`
              : `Production request ${id} is ${r.state}: only submitted requests enter an allocation round`,
            { requestId: id, currentState: r.state },
          );
        }
        todo.push(id);
      }
      const moved = await this.work.requests.transition(m, todo, 'enterAllocation', SYSTEM_ACTOR, { roundId, detail: { roundId } });
      this.work.requestEvents(events, moved, 'enterAllocation');
    });
  }

  /** One decision of a closed round; idempotent by (roundId, requestId). */
  async apply(decision: AllocationDecisionMessage): Promise<string> {
    const m = this.work.dataSource.manager;
    if (await this.work.requests.decisionExists(m, decision.roundId, decision.requestId)) return 'duplicate';
    const request = await this.work.requests.find(m, decision.requestId);
    if (!request) return 'unknown-request';
    if (decision.funded) {
      const pool = poolOf(decision);
      const source = {
        kind: 'allocation' as const,
        roundId: decision.roundId,
        reason: decision.reason,
        ...(decision.period ? { period: decision.period } : {}),
        ...(pool ? { pool } : {}),
      };
      const result = await this.fund.execute(decision.requestId, source, SYSTEM_ACTOR);
      return result.outcome;
    }
    return this.work.tx(async (tx, events) => {
      await this.work.requests.lock(tx, [decision.requestId]);
      const rows = await this.work.requests.transition(tx, [decision.requestId], 'refuse', SYSTEM_ACTOR, {
        reason: decision.reason,
        roundId: decision.roundId,
        detail: { roundId: decision.roundId },
      });
      this.work.requestEvents(events, rows, 'refuse');
      const outcome = rows.length ? 'unfunded' : 'moot';
      await this.work.requests.recordDecision(tx, { ...decision, outcome });
      return outcome;
    });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The decision's pool, when it carries a usable one. A malformed pool (a queue payload is not
 * validated like a message) is treated as absent: the plan's machine only, as before pools were sent.
 */
function poolOf(decision: AllocationDecisionMessage): string[] | null {
  const ids = decision.poolFabUnitIds;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && UUID.test(id))) return null;
  return [...new Set(ids.map((id) => id.toLowerCase()))].sort();
}
