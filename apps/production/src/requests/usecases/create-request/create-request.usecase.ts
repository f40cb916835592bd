import {
  type Actor,
  badRequest,
  conflict,
  DomainError,
  forbidden,
  unprocessable,
} from '#libs/contracts/src/index.js';
import type { CreateRequestMessage } from '#libs/contracts/src/production/dto.js';
import type { RequestMode } from '#libs/contracts/src/production/states.js';
import type { ProductionPlan } from '#libs/contracts/src/production/views.js';
import type { DesignVersionForManufacturing } from '#libs/contracts/src/commons/messages.js';
import type { JobWork } from '../../../jobs/job-work.js';
import { actorColumns } from '../../../shared/actor-columns.js';
import { canonicalJson, nameUuid, sha256 } from '../../../shared/ids.js';
import type { Neighbours } from '../../../shared/neighbours.js';
import { snapshotOf } from '../../design-snapshot.js';
import { plansFromMatch } from '../../plan.js';
import type { RequestRow } from '../../typeorm-requests.repository.js';
import type { FundRequest } from '../fund-request/fund-request.usecase.js';

/** A claim older than this whose work never finished (the process died) is taken over by a retry. */
const STALE_MS = 30_000;

interface NormalisedBody {
  designVersionId: string;
  quantity: number;
  delivery: { lat: number; lon: number };
  needBy: string;
  purpose: string;
  mode: RequestMode;
  fabUnitId?: string;
}

/**
 * POST /production-requests. The request id is derived from (requester, Idempotency-Key), and
 * the key is claimed first with a draft row (unique (requester_id, idempotency_key)): of any
 * number of concurrent calls with one key, one does the work and the others answer the same
 * request. The same key with another body (by canonical hash) is refused with 422.
 *
 * Then: the design version from commons and a match from fabrication (restricted to the unit
 * for a direct request); no match deletes the claim and answers 422 with the explanations
 * (nothing written). The plan, cost vector and ranked alternatives are stored (submitted). A
 * direct request is funded at once: reservations, jobs and queue entries.
 */
export class CreateRequest {
  constructor(
    private readonly work: JobWork,
    private readonly neighbours: Neighbours,
    private readonly fund: FundRequest,
  ) {}

  async execute(actor: Actor | null, message: CreateRequestMessage): Promise<{ created: boolean; id: string }> {
    if (!actor || actor.kind !== 'person') throw forbidden('Production requests are made by people: sign in with a token, not an API key');
    const body = normalise(message);
    const bodyHash = sha256(canonicalJson(body));
    const id = nameUuid('production-request', actor.accountId, message.idempotencyKey);
    const who = actorColumns(actor);
    const m = this.work.dataSource.manager;

    for (let attempt = 0; ; attempt++) {
      const claimed = await this.work.dataSource.transaction((tx) =>
        this.work.requests.claim(
          tx,
          {
            id,
            requesterId: actor.accountId,
            idempotencyKey: message.idempotencyKey,
            bodyHash,
            designVersionId: body.designVersionId,
            quantity: body.quantity,
            lat: body.delivery.lat,
            lon: body.delivery.lon,
            needBy: body.needBy,
            purpose: body.purpose,
            mode: body.mode,
            fabUnitId: body.fabUnitId ?? null,
          },
          who,
        ),
      );
      if (claimed) break;
      const existing = await this.work.requests.byKey(m, actor.accountId, message.idempotencyKey);
      if (!existing) {
        // The first attempt found no match and withdrew its claim just now: claim again.
        if (attempt < 3) continue;
        throw conflict('This Idempotency-Key is being used by a request that is still changing; retry');
      }
      if (existing.body_hash !== bodyHash) {
        throw unprocessable(
          'idempotency-key-reused',
          'Idempotency-Key already used for another request',
          `Idempotency-Key ${JSON.stringify(message.idempotencyKey)} was used for a different production request (${existing.id}); use a new key for a new request`,
          { requestId: existing.id },
        );
      }
      if (!this.abandoned(existing)) return { created: false, id: existing.id };
      if (existing.state === 'submitted') {
        await this.fundDirect(existing.id, who);
        return { created: false, id: existing.id };
      }
      break; // a stale draft: this call does the work the first one did not finish
    }

    await this.matchAndSubmit(id, body, who);
    if (body.mode === 'direct') await this.fundDirect(id, who);
    return { created: true, id };
  }

  /** A claim whose first caller died half-way: a draft, or a direct request never funded. */
  private abandoned(r: RequestRow): boolean {
    const old = Date.now() - new Date(r.updated_at).getTime() > STALE_MS;
    return old && (r.state === 'draft' || (r.state === 'submitted' && r.mode === 'direct'));
  }

  private async matchAndSubmit(id: string, body: NormalisedBody, who: ReturnType<typeof actorColumns>): Promise<void> {
    const m = this.work.dataSource.manager;
    let plans: ProductionPlan[];
    let version: DesignVersionForManufacturing;
    let exclusions: unknown;
    let counts: unknown;
    try {
      const [v, match] = await Promise.all([
        this.neighbours.designVersion(body.designVersionId),
        this.neighbours.match({
          designVersionId: body.designVersionId,
          quantity: body.quantity,
          lat: body.delivery.lat,
          lon: body.delivery.lon,
          needBy: body.needBy,
          ...(body.mode === 'direct' ? { fabUnitIds: [body.fabUnitId!], maxDistanceKm: 20_000 } : {}),
        }),
      ]);
      version = v;
      plans = plansFromMatch(match, v.requirements ?? [], body.quantity);
      exclusions = match.exclusions;
      counts = match.counts;
    } catch (error) {
      await this.work.requests.deleteDraft(m, id);
      if (error instanceof DomainError && error.status === 404) {
        throw unprocessable('unknown-design-version', 'No such design version', `Design version ${body.designVersionId} does not exist`, {
          field: 'designVersionId',
        });
      }
      throw error;
    }
    if (plans.length === 0) {
      await this.work.requests.deleteDraft(m, id);
      throw unprocessable(
        'no-match',
        'No fab unit can make this',
        body.mode === 'direct'
          ? `Fab unit ${body.fabUnitId} cannot make ${body.quantity} × ${version.title} by ${body.needBy}`
          : `No fab unit near (${body.delivery.lat}, ${body.delivery.lon}) can make ${body.quantity} × ${version.title} by ${body.needBy}`,
        { exclusions, counts },
      );
    }
    const [plan, ...alternatives] = plans;
    await this.work.tx(async (tx, events) => {
      await this.work.requests.storeMatch(tx, id, {
        title: version.title,
        design: snapshotOf(version),
        plan: plan!,
        costVector: plan!.cost,
        alternatives,
      });
      this.work.requestEvents(events, await this.work.requests.transition(tx, [id], 'submit', who), 'submit');
    });
  }

  private async fundDirect(id: string, who: ReturnType<typeof actorColumns>): Promise<void> {
    const result = await this.fund.execute(id, { kind: 'direct' }, who);
    if (result.outcome === 'failed') {
      throw conflict(`The fab unit could not reserve the machine time or material for request ${id}: ${result.reason}`, {
        requestId: id,
        state: result.state,
      });
    }
  }
}

function normalise(message: CreateRequestMessage): NormalisedBody {
  const r = message.request;
  const mode = r.mode ?? 'pooled';
  if (mode === 'pooled' && r.fabUnitId !== undefined) {
    throw badRequest('fabUnitId is only for direct requests (mode: "direct")', [{ field: 'fabUnitId', message: 'fabUnitId is only for direct requests' }]);
  }
  const needBy = new Date(r.needBy);
  if (Number.isNaN(needBy.getTime())) throw badRequest('needBy is not a date', [{ field: 'needBy', message: 'needBy is not a date' }]);
  if (needBy.getTime() <= Date.now()) {
    throw badRequest('needBy must be in the future', [{ field: 'needBy', message: 'needBy must be in the future' }]);
  }
  return {
    designVersionId: r.designVersionId.toLowerCase(),
    quantity: r.quantity,
    delivery: { lat: r.delivery.lat, lon: r.delivery.lon },
    needBy: needBy.toISOString(),
    purpose: r.purpose,
    mode,
    ...(mode === 'direct' ? { fabUnitId: r.fabUnitId!.toLowerCase() } : {}),
  };
}
