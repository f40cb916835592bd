import type { EntityManager } from 'typeorm';
import type { CostVector } from '#libs/contracts/src/fabrication/matching.js';
import type { RequestMode, RequestState } from '#libs/contracts/src/production/states.js';
import type { ProductionPlan } from '#libs/contracts/src/production/views.js';
import type { ActorColumns } from '../shared/actor-columns.js';
import { combinedAction } from '../shared/combined-steps.js';
import { uuidList } from '../shared/ids.js';
import type { DesignSnapshot } from './design-snapshot.js';
import { REQUEST_TRANSITIONS, type RequestAction } from './request-state.js';

export interface RequestRow {
  id: string;
  requester_id: string;
  idempotency_key: string;
  body_hash: string;
  design_version_id: string;
  title: string;
  design: DesignSnapshot | null;
  quantity: number;
  lat: number;
  lon: number;
  need_by: Date;
  purpose: string;
  mode: RequestMode;
  fab_unit_id: string | null;
  state: RequestState;
  reason: string | null;
  round_id: string | null;
  /** The funding round's period (see the migration FundingPeriod). */
  period_from: Date | null;
  period_to: Date | null;
  /** The funding round's pool of fab units (see the migration FundingPool). */
  pool_fab_unit_ids: string[] | null;
  plan: ProductionPlan | null;
  cost_vector: CostVector | null;
  alternatives: ProductionPlan[];
  created_at: Date;
  updated_at: Date;
}

export interface TransitionedRequest {
  id: string;
  from_state: RequestState;
  to_state: RequestState;
}

export interface DraftRequest {
  id: string;
  requesterId: string;
  idempotencyKey: string;
  bodyHash: string;
  designVersionId: string;
  quantity: number;
  lat: number;
  lon: number;
  needBy: string;
  purpose: string;
  mode: RequestMode;
  fabUnitId: string | null;
}

/** The SQL of production requests; transitions are conditional updates, like jobs'. */
export class RequestsRepository {
  /**
   * Claims the requester's Idempotency-Key with a draft row. Returns true when this call
   * created it; false when the key was there already (unique (requester_id, idempotency_key)):
   * of 200 concurrent calls with one key exactly one gets true.
   */
  async claim(m: EntityManager, d: DraftRequest, actor: ActorColumns): Promise<boolean> {
    const rows: { id: string }[] = await m.query(
      `WITH ins AS (
         INSERT INTO production.requests (id, requester_id, idempotency_key, body_hash, design_version_id, quantity, lat, lon,
                                          need_by, purpose, mode, fab_unit_id, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'draft')
         ON CONFLICT (requester_id, idempotency_key) DO NOTHING
         RETURNING id
       ), t AS (
         INSERT INTO production.request_transitions (request_id, from_state, to_state, action, actor_kind, actor_account_id, actor_api_key_id)
         SELECT id, NULL, 'draft', 'create', $13, $14, $15 FROM ins
       )
       SELECT id FROM ins`,
      [
        d.id, d.requesterId, d.idempotencyKey, d.bodyHash, d.designVersionId, d.quantity, d.lat, d.lon, d.needBy, d.purpose,
        d.mode, d.fabUnitId, actor.kind, actor.accountId, actor.apiKeyId,
      ],
    );
    return rows.length === 1;
  }

  async byKey(m: EntityManager, requesterId: string, key: string): Promise<RequestRow | null> {
    const rows: RequestRow[] = await m.query(`SELECT * FROM production.requests WHERE requester_id = $1 AND idempotency_key = $2`, [requesterId, key]);
    return rows[0] ?? null;
  }

  async find(m: EntityManager, id: string, lock = false): Promise<RequestRow | null> {
    const rows: RequestRow[] = await m.query(`SELECT * FROM production.requests WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ?? null;
  }

  async findMany(m: EntityManager, ids: readonly string[]): Promise<RequestRow[]> {
    if (ids.length === 0) return [];
    return m.query(`SELECT * FROM production.requests WHERE id = ANY($1::uuid[]) ORDER BY created_at, id`, [ids]);
  }

  /** Locks the rows in id order (the order every writer uses, so batches never deadlock on requests). */
  async lock(m: EntityManager, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await m.query(`SELECT 1 FROM production.requests WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [[...new Set(ids)].sort()]);
  }

  /** Locks the requests of the given jobs (id order, like `lock`). */
  async lockOfJobs(m: EntityManager, jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await m.query(
      `SELECT 1 FROM production.requests WHERE id IN (SELECT request_id FROM production.jobs WHERE id = ANY($1::uuid[])) ORDER BY id FOR UPDATE`,
      [uuidList(jobIds)],
    );
  }

  /** Deletes a draft that could not be matched: nothing of the attempt stays. */
  async deleteDraft(m: EntityManager, id: string): Promise<void> {
    await m.query(`DELETE FROM production.requests WHERE id = $1 AND state = 'draft'`, [id]);
  }

  async storeMatch(
    m: EntityManager,
    id: string,
    match: { title: string; design: DesignSnapshot; plan: ProductionPlan; costVector: CostVector; alternatives: ProductionPlan[] },
  ): Promise<void> {
    await m.query(
      `UPDATE production.requests SET title = $2, design = $3, plan = $4, cost_vector = $5, alternatives = $6, updated_at = now()
       WHERE id = $1`,
      [id, match.title, JSON.stringify(match.design), JSON.stringify(match.plan), JSON.stringify(match.costVector), JSON.stringify(match.alternatives)],
    );
  }

  async transition(
    m: EntityManager,
    ids: readonly string[],
    action: RequestAction,
    actor: ActorColumns,
    extra: { reason?: string | null; roundId?: string | null; detail?: Record<string, unknown> | null } = {},
  ): Promise<TransitionedRequest[]> {
    if (ids.length === 0) return [];
    const { from, to } = REQUEST_TRANSITIONS[action];
    return m.query(
      `WITH o AS (
         SELECT id, state FROM production.requests WHERE id = ANY($1::uuid[]) AND state = ANY($2::text[]) ORDER BY id FOR UPDATE
       ), u AS (
         UPDATE production.requests r SET state = $3, updated_at = now(),
           reason = CASE WHEN $9::boolean THEN $8::text ELSE r.reason END,
           round_id = coalesce($10::uuid, r.round_id)
         FROM o WHERE r.id = o.id
         RETURNING r.id, o.state AS from_state, r.state AS to_state
       ), t AS (
         INSERT INTO production.request_transitions (request_id, from_state, to_state, action, actor_kind, actor_account_id, actor_api_key_id, detail)
         SELECT id, from_state, to_state, $4, $5, $6, $7, $11::jsonb FROM u
       )
       SELECT * FROM u ORDER BY id`,
      [
        ids,
        from,
        to,
        action,
        actor.kind,
        actor.accountId,
        actor.apiKeyId,
        extra.reason ?? null,
        extra.reason !== undefined,
        extra.roundId ?? null,
        extra.detail ? JSON.stringify(extra.detail) : null,
      ],
    );
  }

  /** Keeps the period of the round that funded them on the requests (a reroute stays inside it). */
  async setFundingPeriod(m: EntityManager, ids: readonly string[], period: { from: string; to: string }): Promise<void> {
    if (ids.length === 0) return;
    await m.query(`UPDATE production.requests SET period_from = $2, period_to = $3 WHERE id = ANY($1::uuid[])`, [ids, period.from, period.to]);
  }

  /** Keeps the pool of the round that funded them on the requests (a reroute stays inside it). */
  async setFundingPool(m: EntityManager, ids: readonly string[], fabUnitIds: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await m.query(`UPDATE production.requests SET pool_fab_unit_ids = $2::uuid[] WHERE id = ANY($1::uuid[])`, [ids, [...new Set(fabUnitIds)].sort()]);
  }

  /**
   * After the connector moved jobs forward: each given request that is funded goes into
   * production, and each whose every job (declined ones aside) is completed is fulfilled —
   * one statement, one update per request and one transition record naming the steps passed
   * (`startProduction+fulfil` when both: see combined-steps.ts). The caller holds the
   * requests' locks.
   */
  async advanceAfterJobs(m: EntityManager, ids: readonly string[], actor: ActorColumns): Promise<TransitionedRequest[]> {
    if (ids.length === 0) return [];
    return m.query(
      `WITH r AS (
         SELECT r.id, r.state,
                NOT EXISTS (SELECT 1 FROM production.jobs j WHERE j.request_id = r.id AND j.state NOT IN ('completed', 'declined')) AS done
         FROM production.requests r WHERE r.id = ANY($1::uuid[]) AND r.state IN ('funded', 'in_production')
       ), u AS (
         UPDATE production.requests q SET state = CASE WHEN r.done THEN 'fulfilled' ELSE 'in_production' END, updated_at = now()
         FROM r WHERE q.id = r.id AND (r.done OR r.state = 'funded')
         RETURNING q.id, r.state AS from_state, q.state AS to_state
       ), t AS (
         INSERT INTO production.request_transitions (request_id, from_state, to_state, action, actor_kind, actor_account_id, actor_api_key_id)
         SELECT u.id, u.from_state, u.to_state,
                CASE WHEN u.from_state = 'in_production' THEN 'fulfil' WHEN u.to_state = 'fulfilled' THEN $5 ELSE 'startProduction' END,
                $2, $3, $4
         FROM u ORDER BY u.id
       )
       SELECT * FROM u ORDER BY id`,
      [uuidList(ids), actor.kind, actor.accountId, actor.apiKeyId, combinedAction(['startProduction', 'fulfil'] satisfies RequestAction[])],
    );
  }

  /** Of the given requests in production, those whose every job (declined ones aside) is completed. */
  async allJobsCompleted(m: EntityManager, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: { id: string }[] = await m.query(
      `SELECT r.id FROM production.requests r
       WHERE r.id = ANY($1::uuid[]) AND r.state = 'in_production'
         AND NOT EXISTS (SELECT 1 FROM production.jobs j WHERE j.request_id = r.id AND j.state NOT IN ('completed', 'declined'))
       ORDER BY r.id`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  async transitionsOf(m: EntityManager, requestId: string): Promise<Record<string, any>[]> {
    return m.query(`SELECT * FROM production.request_transitions WHERE request_id = $1 ORDER BY id`, [requestId]);
  }

  /** Records the council's decision; false when (round, request) was applied before. */
  async recordDecision(
    m: EntityManager,
    d: { roundId: string; requestId: string; funded: boolean; reason: string; outcome: string },
  ): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO production.allocation_decisions (round_id, request_id, funded, reason, outcome) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (round_id, request_id) DO NOTHING RETURNING round_id`,
      [d.roundId, d.requestId, d.funded, d.reason, d.outcome],
    );
    return rows.length === 1;
  }

  async recordDecisions(
    m: EntityManager,
    ds: readonly { roundId: string; requestId: string; funded: boolean; reason: string; outcome: string }[],
  ): Promise<void> {
    if (ds.length === 0) return;
    await m.query(
      `INSERT INTO production.allocation_decisions (round_id, request_id, funded, reason, outcome)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::boolean[], $4::text[], $5::text[])
       ON CONFLICT (round_id, request_id) DO NOTHING`,
      [ds.map((d) => d.roundId), ds.map((d) => d.requestId), ds.map((d) => d.funded), ds.map((d) => d.reason), ds.map((d) => d.outcome)],
    );
  }

  /** The outcomes production recorded for a round's decisions, by request. */
  async decisionsOf(m: EntityManager, roundId: string, requestIds: readonly string[]): Promise<Map<string, string>> {
    if (requestIds.length === 0) return new Map();
    const rows: { request_id: string; outcome: string }[] = await m.query(
      `SELECT request_id, outcome FROM production.allocation_decisions WHERE round_id = $1 AND request_id = ANY($2::uuid[])`,
      [roundId, requestIds],
    );
    return new Map(rows.map((r) => [r.request_id, r.outcome]));
  }

  async decisionExists(m: EntityManager, roundId: string, requestId: string): Promise<boolean> {
    const rows = await m.query(`SELECT 1 FROM production.allocation_decisions WHERE round_id = $1 AND request_id = $2`, [roundId, requestId]);
    return rows.length === 1;
  }
}
