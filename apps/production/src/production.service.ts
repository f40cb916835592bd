import { type Actor, forbidden, notFound } from '#libs/contracts/src/index.js';
import type { CreateRequestMessage, JobActionMessage } from '#libs/contracts/src/production/dto.js';
import type { JobState } from '#libs/contracts/src/production/states.js';
import type { CreatedRequestView, JobView, ProductionRequestView, ProvenanceView } from '#libs/contracts/src/production/views.js';
import { JobWork } from './jobs/job-work.js';
import { DeclineJob } from './jobs/usecases/decline-job/decline-job.usecase.js';
import { Allocation } from './requests/usecases/allocation/allocation.usecase.js';
import { CancelRequest } from './requests/usecases/cancel-request/cancel-request.usecase.js';
import { CreateRequest } from './requests/usecases/create-request/create-request.usecase.js';
import { FundRequest } from './requests/usecases/fund-request/fund-request.usecase.js';
import { actorColumns } from './shared/actor-columns.js';
import type { Neighbours } from './shared/neighbours.js';
import { jobView, provenanceView, requestView } from './shared/views.js';

/**
 * The production service's use cases behind one face, for the transport handlers and the
 * allocation processor. Who may call what is decided at the gateway (@Requires → the authz
 * handler); what is checked again here is what the data alone can tell (a machine key acts
 * only on its own unit; a request is shown to its requester).
 */
export class ProductionService {
  readonly fund: FundRequest;
  readonly allocation: Allocation;
  private readonly create: CreateRequest;
  private readonly cancel: CancelRequest;
  private readonly decline: DeclineJob;

  constructor(
    readonly work: JobWork,
    readonly neighbours: Neighbours,
  ) {
    this.fund = new FundRequest(work, neighbours);
    this.allocation = new Allocation(work, this.fund);
    this.create = new CreateRequest(work, neighbours, this.fund);
    this.cancel = new CancelRequest(work);
    this.decline = new DeclineJob(work, neighbours, this.fund);
  }

  private get m() {
    return this.work.dataSource.manager;
  }

  async createRequest(actor: Actor | null, message: CreateRequestMessage): Promise<CreatedRequestView> {
    const { created, id } = await this.create.execute(actor, message);
    return { created, request: await this.requestView(id) };
  }

  async getRequest(actor: Actor | null, id: string): Promise<ProductionRequestView> {
    await this.ownRequest(actor, id);
    return this.requestView(id);
  }

  async cancelRequest(actor: Actor | null, id: string): Promise<ProductionRequestView> {
    await this.ownRequest(actor, id);
    await this.cancel.execute(id, actor);
    return this.requestView(id);
  }

  async unitJobs(actor: Actor | null, fabUnitId: string, state?: JobState): Promise<JobView[]> {
    this.sameUnit(actor, fabUnitId);
    const jobs = await this.work.jobs.ofUnit(this.m, fabUnitId, state);
    const requests = new Map((await this.work.requests.findMany(this.m, [...new Set(jobs.map((j) => j.request_id))])).map((r) => [r.id, r]));
    return jobs.map((j) => jobView(j, requests.get(j.request_id)!));
  }

  /** Takes the unit's oldest queued job nobody else is taking, and accepts it; null when none is queued. */
  async nextJob(actor: Actor | null, fabUnitId: string): Promise<JobView | null> {
    this.sameUnit(actor, fabUnitId);
    const who = actorColumns(actor);
    const id = await this.work.tx(async (m, events) => {
      const jobId = await this.work.jobs.lockNextQueued(m, fabUnitId);
      if (!jobId) return null;
      const job = (await this.work.jobs.find(m, jobId))!;
      await this.work.requests.lock(m, [job.request_id]);
      const rows = await this.work.jobs.transition(m, [jobId], 'accept', who);
      await this.work.after(m, events, rows, 'accept', who, {});
      return jobId;
    });
    return id ? this.jobView(id) : null;
  }

  async getJob(actor: Actor | null, id: string): Promise<JobView> {
    const view = await this.jobView(id, true);
    this.sameUnit(actor, view.fabUnitId, id);
    return view;
  }

  async act(actor: Actor | null, message: JobActionMessage): Promise<JobView> {
    if (message.action === 'decline') {
      await this.decline.execute(message.id, actor, message.reason);
    } else {
      await this.work.act(message.id, message.action, actor, message);
    }
    return this.jobView(message.id, true);
  }

  async provenance(actor: Actor | null, jobId: string): Promise<ProvenanceView> {
    const job = await this.work.jobs.find(this.m, jobId);
    if (!job) throw notFound('job', jobId);
    if (!(await this.mayReadProvenance(actor, job.fab_unit_id, job.request_id))) {
      throw forbidden(`Only the requester and the operators of the unit that made it see the provenance of job ${jobId}`);
    }
    const record = await this.work.jobs.provenance(this.m, jobId);
    if (!record) throw notFound('provenance of job', jobId);
    return provenanceView(record);
  }

  async requestView(id: string): Promise<ProductionRequestView> {
    const r = await this.work.requests.find(this.m, id);
    if (!r) throw notFound('production request', id);
    return requestView(r, await this.work.jobs.ofRequest(this.m, id), await this.work.requests.transitionsOf(this.m, id));
  }

  async jobView(id: string, withTransitions = false): Promise<JobView> {
    const j = await this.work.jobs.find(this.m, id);
    if (!j) throw notFound('job', id);
    const r = (await this.work.requests.find(this.m, j.request_id))!;
    return jobView(j, r, withTransitions ? await this.work.jobs.transitionsOf(this.m, id) : undefined);
  }

  private async ownRequest(actor: Actor | null, id: string): Promise<void> {
    const r = await this.work.requests.find(this.m, id);
    // Someone else's request is not shown to exist.
    if (!r || !actor || (!actor.platformAdmin && (actor.kind !== 'person' || actor.accountId !== r.requester_id))) {
      throw notFound('production request', id);
    }
  }

  private sameUnit(actor: Actor | null, fabUnitId: string, jobId?: string): void {
    if (actor?.kind === 'machine' && actor.fabUnitId !== fabUnitId) {
      throw forbidden(`This API key belongs to fab unit ${actor.fabUnitId}, not to ${jobId ? `the unit of job ${jobId}` : `fab unit ${fabUnitId}`}`);
    }
  }

  private async mayReadProvenance(actor: Actor | null, fabUnitId: string, requestId: string): Promise<boolean> {
    if (!actor) return false;
    if (actor.platformAdmin) return true;
    if (actor.kind === 'machine') return actor.fabUnitId === fabUnitId;
    const r = await this.work.requests.find(this.m, requestId);
    if (r?.requester_id === actor.accountId) return true;
    return (await this.neighbours.isUnitOperator(actor, fabUnitId)) === 'allowed';
  }
}
