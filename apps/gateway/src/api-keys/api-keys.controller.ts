import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Requires } from '#libs/auth/src/index.js';
import { type Actor, forbidden } from '#libs/contracts/src/index.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './api-keys.dto.js';
import { ApiKeysService } from './api-keys.service.js';

@ApiTags('fab units')
@ApiBearerAuth()
@Controller('fab-units/:id/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Requires({ resource: 'fab-unit', role: 'operator' })
  @ApiOperation({ summary: 'Create an API key for a machine or connector of this fab unit (shown once)' })
  @ApiProblems(400, 401, 403, 404)
  create(
    @Param('id', ParseUUIDPipe) fabUnitId: string,
    @Body() body: CreateApiKeyDto,
    @CurrentActor() actor: Actor,
  ): Promise<CreatedApiKeyDto> {
    // A key must not mint keys: a leaked machine credential would otherwise perpetuate itself.
    if (actor.kind !== 'person') throw forbidden('Only a person (an operator) creates API keys');
    return this.keys.create(fabUnitId, body.name, actor.accountId);
  }

  @Get()
  @Requires({ resource: 'fab-unit', role: 'operator' })
  @ApiOperation({ summary: "The fab unit's API keys (never their secrets)" })
  @ApiProblems(401, 403, 404)
  list(@Param('id', ParseUUIDPipe) fabUnitId: string): Promise<ApiKeyDto[]> {
    return this.keys.list(fabUnitId);
  }

  @Delete(':keyId')
  @Requires({ resource: 'fab-unit', role: 'operator' })
  @ApiOperation({ summary: 'Revoke an API key; it stops working at once' })
  @ApiProblems(401, 403, 404)
  revoke(@Param('id', ParseUUIDPipe) fabUnitId: string, @Param('keyId', ParseUUIDPipe) keyId: string): Promise<ApiKeyDto> {
    return this.keys.revoke(fabUnitId, keyId);
  }
}
