import { Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, Requires } from '#libs/auth/src/index.js';
import type { Actor } from '#libs/contracts/src/index.js';
import { ListUnitJobsQueryDto } from '#libs/contracts/src/production/dto.js';
import { PRODUCTION_HTTP_PATTERNS } from '#libs/contracts/src/production/patterns.js';
import type { JobView } from '#libs/contracts/src/production/views.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { JobResponseDto } from './production-responses.dto.js';

@ApiTags('production')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('fab-units/:id/jobs')
export class FabUnitJobsController {
  constructor(@Inject(serviceClientToken('production')) private readonly production: ServiceClient) {}

  @Get()
  @Requires({ resource: 'fab-unit', role: 'operator' })
  @ApiOperation({ summary: "The unit's jobs, oldest first, optionally in one state" })
  @ApiOkResponse({ type: [JobResponseDto] })
  @ApiProblems(400, 401, 403, 404)
  list(@Param('id', ParseUUIDPipe) fabUnitId: string, @Query() query: ListUnitJobsQueryDto, @CurrentActor() actor: Actor): Promise<JobView[]> {
    return this.production.send(PRODUCTION_HTTP_PATTERNS.unitJobsList, actor, { fabUnitId, ...query });
  }

  @Post('next')
  @Requires({ resource: 'fab-unit', role: 'operator' })
  @ApiOperation({
    summary: 'Take the next job: the oldest queued job of the unit, accepted for you',
    description: 'Concurrent callers never get the same job (row locks, SKIP LOCKED). 204 when nothing is queued.',
  })
  @ApiOkResponse({ type: JobResponseDto })
  @ApiNoContentResponse({ description: 'Nothing queued' })
  @ApiProblems(400, 401, 403, 404)
  async next(
    @Param('id', ParseUUIDPipe) fabUnitId: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JobView | undefined> {
    const { job } = await this.production.send<{ job: JobView | null }>(PRODUCTION_HTTP_PATTERNS.unitJobsNext, actor, { fabUnitId });
    res.status(job ? 200 : 204);
    return job ?? undefined;
  }
}
