import { Body, Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, Requires } from '#libs/auth/src/index.js';
import { type Actor, badRequest } from '#libs/contracts/src/index.js';
import { CreateProductionRequestDto } from '#libs/contracts/src/production/dto.js';
import { PRODUCTION_HTTP_PATTERNS } from '#libs/contracts/src/production/patterns.js';
import type { CreatedRequestView, ProductionRequestView } from '#libs/contracts/src/production/views.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { ProductionRequestResponseDto } from './production-responses.dto.js';

/** Matching and reserving can take a while on a large network; the default RPC timeout is for reads. */
const CREATE_TIMEOUT_MS = 30_000;

@ApiTags('production')
@ApiBearerAuth()
@Controller('production-requests')
export class ProductionRequestsController {
  constructor(@Inject(serviceClientToken('production')) private readonly production: ServiceClient) {}

  @Post()
  @ApiOperation({
    summary: 'Ask for quantity × design version delivered near a place by a date',
    description:
      'Matched at once (the chosen plan, its cost vector and the ranked alternatives are stored; no match: 422 with the ' +
      'reasons). `pooled` (default) waits for a council round; `direct` is funded at once on the named unit: ' +
      'reservations, jobs, queue entries. The same Idempotency-Key with the same body answers the same request (200); ' +
      'with another body, 422.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: '1–200 visible ASCII characters, unique per request you mean' })
  @ApiCreatedResponse({ type: ProductionRequestResponseDto, description: 'Created' })
  @ApiOkResponse({ type: ProductionRequestResponseDto, description: 'The request this key created before' })
  @ApiProblems(400, 401, 403, 409, 422, 503)
  async create(
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: CreateProductionRequestDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProductionRequestView> {
    const idempotencyKey = key?.trim();
    if (!idempotencyKey || idempotencyKey.length > 200 || !/^[\x21-\x7e]+$/.test(idempotencyKey)) {
      throw badRequest('The Idempotency-Key header is required: 1–200 visible ASCII characters', [
        { field: 'Idempotency-Key', message: 'Idempotency-Key must be 1–200 visible ASCII characters' },
      ]);
    }
    const answer = await this.production.send<CreatedRequestView>(
      PRODUCTION_HTTP_PATTERNS.requestsCreate,
      actor,
      { idempotencyKey, request: body },
      CREATE_TIMEOUT_MS,
    );
    res.status(answer.created ? 201 : 200);
    res.setHeader('Location', `/production-requests/${answer.request.id}`);
    return answer.request;
  }

  @Get(':id')
  @Requires({ resource: 'production-request', role: 'requester' })
  @ApiOperation({ summary: 'One of your production requests, with its jobs and every state change (who, when)' })
  @ApiOkResponse({ type: ProductionRequestResponseDto })
  @ApiProblems(400, 401, 404)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<ProductionRequestView> {
    return this.production.send(PRODUCTION_HTTP_PATTERNS.requestsGet, actor, { id });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Requires({ resource: 'production-request', role: 'requester' })
  @ApiOperation({ summary: 'Withdraw your request: its live jobs are cancelled and their reservations released' })
  @ApiOkResponse({ type: ProductionRequestResponseDto })
  @ApiProblems(400, 401, 404, 409)
  cancel(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<ProductionRequestView> {
    return this.production.send(PRODUCTION_HTTP_PATTERNS.requestsCancel, actor, { id }, CREATE_TIMEOUT_MS);
  }
}
