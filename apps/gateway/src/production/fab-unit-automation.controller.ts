import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Requires } from '#libs/auth/src/index.js';
import type { Actor } from '#libs/contracts/src/index.js';
import { type AutomationView, SetAutomationDto } from '#libs/contracts/src/production/automation.js';
import { PRODUCTION_HTTP_PATTERNS } from '#libs/contracts/src/production/patterns.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { AutomationResponseDto } from './production-responses.dto.js';

/**
 * Whether a unit's queue is worked by a machine connector inside production, for the unit's
 * operators (and platform admins). Not automated, the unit's people and external connectors take
 * its jobs with `POST /fab-units/{id}/jobs/next`.
 */
@ApiTags('production')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller('fab-units/:id/automation')
export class FabUnitAutomationController {
  constructor(@Inject(serviceClientToken('production')) private readonly production: ServiceClient) {}

  @Get()
  @Requires({ resource: 'fab-unit', role: 'operator' })
  @ApiOperation({ summary: 'Whether a connector in production works the unit’s queue, and how many jobs at once' })
  @ApiOkResponse({ type: AutomationResponseDto })
  @ApiProblems(400, 401, 403, 404)
  get(@Param('id', ParseUUIDPipe) fabUnitId: string, @CurrentActor() actor: Actor): Promise<AutomationView> {
    return this.production.send(PRODUCTION_HTTP_PATTERNS.automationGet, actor, { fabUnitId });
  }

  @Put()
  @Requires({ resource: 'fab-unit', role: 'operator' })
  @ApiOperation({
    summary: 'Automate the unit (a connector in production works its queue) or stop doing so',
    description:
      'Idempotent. The worker of the production process that answers starts or stops before the answer; other ' +
      'production and connector processes follow within their refresh interval. Stopping lets active jobs finish; ' +
      'queued jobs stay queued for people and external connectors.',
  })
  @ApiOkResponse({ type: AutomationResponseDto })
  @ApiProblems(400, 401, 403, 404)
  set(@Param('id', ParseUUIDPipe) fabUnitId: string, @Body() body: SetAutomationDto, @CurrentActor() actor: Actor): Promise<AutomationView> {
    return this.production.send(PRODUCTION_HTTP_PATTERNS.automationSet, actor, { fabUnitId, ...body });
  }
}
