import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Requires } from '#libs/auth/src/index.js';
import type { Actor } from '#libs/contracts/src/index.js';
import { CompleteJobDto, DeclineJobDto, FailJobDto, ProgressJobDto } from '#libs/contracts/src/production/dto.js';
import { PRODUCTION_HTTP_PATTERNS } from '#libs/contracts/src/production/patterns.js';
import type { JobHttpAction } from '#libs/contracts/src/production/states.js';
import type { JobView, ProvenanceView } from '#libs/contracts/src/production/views.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { JobResponseDto, ProvenanceResponseDto } from './production-responses.dto.js';

/** Declining reserves at the next candidate: a call to fabrication inside. */
const ACT_TIMEOUT_MS = 30_000;

/**
 * A job's life at its fab unit, for operators (token) and machine connectors (X-Api-Key of
 * the unit): accept → start → progress… → complete, or decline (rerouted) or fail.
 * An illegal step answers 409 naming the job's current state.
 */
@ApiTags('production')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('jobs')
export class JobsController {
  constructor(@Inject(serviceClientToken('production')) private readonly production: ServiceClient) {}

  private act(actor: Actor, id: string, action: JobHttpAction, body: object = {}): Promise<JobView> {
    return this.production.send(PRODUCTION_HTTP_PATTERNS.jobsAct, actor, { id, action, ...body }, ACT_TIMEOUT_MS);
  }

  @Get(':id')
  @Requires({ resource: 'job', role: 'operator' })
  @ApiOperation({ summary: 'A job of your unit, with every state change (who, when)' })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiProblems(400, 401, 403, 404)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<JobView> {
    return this.production.send(PRODUCTION_HTTP_PATTERNS.jobsGet, actor, { id });
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Requires({ resource: 'job', role: 'operator' })
  @ApiOperation({ summary: 'queued → accepted' })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiProblems(400, 401, 403, 404, 409)
  accept(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<JobView> {
    return this.act(actor, id, 'accept');
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Requires({ resource: 'job', role: 'operator' })
  @ApiOperation({ summary: 'queued or accepted → declined; the step is rerouted to the next candidate unit (none left: the request fails)' })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiProblems(400, 401, 403, 404, 409, 503)
  decline(@Param('id', ParseUUIDPipe) id: string, @Body() body: DeclineJobDto, @CurrentActor() actor: Actor): Promise<JobView> {
    return this.act(actor, id, 'decline', body);
  }

  @Post(':id/start')
  @HttpCode(200)
  @Requires({ resource: 'job', role: 'operator' })
  @ApiOperation({ summary: 'accepted → in_progress' })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiProblems(400, 401, 403, 404, 409)
  start(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<JobView> {
    return this.act(actor, id, 'start');
  }

  @Post(':id/progress')
  @HttpCode(200)
  @Requires({ resource: 'job', role: 'operator' })
  @ApiOperation({ summary: 'Report progress of a job in progress (percent, note)' })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiProblems(400, 401, 403, 404, 409)
  progress(@Param('id', ParseUUIDPipe) id: string, @Body() body: ProgressJobDto, @CurrentActor() actor: Actor): Promise<JobView> {
    return this.act(actor, id, 'progress', body);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Requires({ resource: 'job', role: 'operator' })
  @ApiOperation({ summary: 'in_progress → completed: writes the provenance record, reports the build to the commons, consumes the reservation' })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiProblems(400, 401, 403, 404, 409)
  complete(@Param('id', ParseUUIDPipe) id: string, @Body() body: CompleteJobDto, @CurrentActor() actor: Actor): Promise<JobView> {
    return this.act(actor, id, 'complete', body);
  }

  @Post(':id/fail')
  @HttpCode(200)
  @Requires({ resource: 'job', role: 'operator' })
  @ApiOperation({ summary: 'accepted or in_progress → failed: the reservation is released, the request fails, its other jobs are cancelled' })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiProblems(400, 401, 403, 404, 409)
  fail(@Param('id', ParseUUIDPipe) id: string, @Body() body: FailJobDto, @CurrentActor() actor: Actor): Promise<JobView> {
    return this.act(actor, id, 'fail', body);
  }

  @Get(':id/provenance')
  @ApiOperation({ summary: 'What was made, of what, where, under which license, by whom (the requester and the unit see it)' })
  @ApiOkResponse({ type: ProvenanceResponseDto })
  @ApiProblems(400, 401, 403, 404)
  provenance(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<ProvenanceView> {
    return this.production.send(PRODUCTION_HTTP_PATTERNS.jobsProvenance, actor, { id });
  }
}
