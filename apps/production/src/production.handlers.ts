import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { Actor } from '#libs/contracts/src/index.js';
import {
  CreateRequestMessage,
  EnterAllocationMessage,
  FabUnitJobsRefMessage,
  JobActionMessage,
  JobRefMessage,
  ListUnitJobsMessage,
  RequestOutcomesMessage,
  RequestRefMessage,
  RequestsForAllocationMessage,
} from '#libs/contracts/src/production/dto.js';
import { PRODUCTION_PATTERNS, type RequestForAllocation, type RequestOutcome } from '#libs/contracts/src/production/messages.js';
import { PRODUCTION_HTTP_PATTERNS } from '#libs/contracts/src/production/patterns.js';
import type { CreatedRequestView, JobView, ProductionRequestView, ProvenanceView } from '#libs/contracts/src/production/views.js';
import { ProductionService } from './production.service.js';

/** The production service's transport handlers: validate (global pipe), call the service, return plain data. */
@Controller()
export class ProductionHandlers {
  constructor(@Inject(ProductionService) private readonly production: ProductionService) {}

  @MessagePattern(PRODUCTION_HTTP_PATTERNS.requestsCreate)
  create(@Payload('actor') actor: Actor | null, @Payload('data') data: CreateRequestMessage): Promise<CreatedRequestView> {
    return this.production.createRequest(actor, data);
  }

  @MessagePattern(PRODUCTION_HTTP_PATTERNS.requestsGet)
  get(@Payload('actor') actor: Actor | null, @Payload('data') data: RequestRefMessage): Promise<ProductionRequestView> {
    return this.production.getRequest(actor, data.id);
  }

  @MessagePattern(PRODUCTION_HTTP_PATTERNS.requestsCancel)
  cancel(@Payload('actor') actor: Actor | null, @Payload('data') data: RequestRefMessage): Promise<ProductionRequestView> {
    return this.production.cancelRequest(actor, data.id);
  }

  @MessagePattern(PRODUCTION_HTTP_PATTERNS.unitJobsList)
  unitJobs(@Payload('actor') actor: Actor | null, @Payload('data') data: ListUnitJobsMessage): Promise<JobView[]> {
    return this.production.unitJobs(actor, data.fabUnitId, data.state);
  }

  @MessagePattern(PRODUCTION_HTTP_PATTERNS.unitJobsNext)
  async next(@Payload('actor') actor: Actor | null, @Payload('data') data: FabUnitJobsRefMessage): Promise<{ job: JobView | null }> {
    return { job: await this.production.nextJob(actor, data.fabUnitId) };
  }

  @MessagePattern(PRODUCTION_HTTP_PATTERNS.jobsGet)
  job(@Payload('actor') actor: Actor | null, @Payload('data') data: JobRefMessage): Promise<JobView> {
    return this.production.getJob(actor, data.id);
  }

  @MessagePattern(PRODUCTION_HTTP_PATTERNS.jobsAct)
  act(@Payload('actor') actor: Actor | null, @Payload('data') data: JobActionMessage): Promise<JobView> {
    return this.production.act(actor, data);
  }

  @MessagePattern(PRODUCTION_HTTP_PATTERNS.jobsProvenance)
  provenance(@Payload('actor') actor: Actor | null, @Payload('data') data: JobRefMessage): Promise<ProvenanceView> {
    return this.production.provenance(actor, data.id);
  }

  @MessagePattern(PRODUCTION_PATTERNS.requestsForAllocation)
  forAllocation(@Payload('data') data: RequestsForAllocationMessage): Promise<RequestForAllocation[]> {
    return this.production.allocation.forAllocation(data.ids);
  }

  @MessagePattern(PRODUCTION_PATTERNS.requestsOutcomes)
  outcomes(@Payload('data') data: RequestOutcomesMessage): Promise<RequestOutcome[]> {
    return this.production.allocation.outcomes(data.roundId, data.ids);
  }

  @MessagePattern(PRODUCTION_PATTERNS.requestsEnterAllocation)
  async enterAllocation(@Payload('data') data: EnterAllocationMessage): Promise<{ ok: true }> {
    await this.production.allocation.enterAllocation(data.requestIds, data.roundId);
    return { ok: true };
  }
}
