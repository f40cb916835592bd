import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '#libs/auth/src/index.js';
import { MatchQueryDto } from '#libs/contracts/src/fabrication/dto.js';
import type { MatchResult } from '#libs/contracts/src/fabrication/matching.js';
import { MatchResultDto } from '#libs/contracts/src/fabrication/view-dtos.js';
import { FABRICATION_PATTERNS } from '#libs/contracts/src/fabrication/messages.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { ApiProblems } from '../http/api-problems.decorator.js';

@ApiTags('matching')
@Controller('matches')
export class MatchesController {
  constructor(@Inject(serviceClientToken('fabrication')) private readonly fabrication: ServiceClient) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Who can make quantity × design version near a place by a date',
    description:
      'Candidates ranked by earliest completion, then distance, then successful builds of the design there; each ' +
      'with its machines, slots and cost vector. The nearest units left out are explained (the first rule each ' +
      'failed). When no unit can do every step, split plans over up to 3 nearby units.',
  })
  @ApiOkResponse({ type: MatchResultDto, description: 'Candidates with their cost vectors, explanations of the units left out, split plans' })
  @ApiProblems(400, 404, 422, 503)
  find(@Query() query: MatchQueryDto): Promise<MatchResult> {
    return this.fabrication.send(FABRICATION_PATTERNS.matchesFind, null, query);
  }
}
