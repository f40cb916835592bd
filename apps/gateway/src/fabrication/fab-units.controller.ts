import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Put, Query, Req } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Repository } from 'typeorm';
import { CurrentActor, PlatformAdminOnly, Public, Requires } from '#libs/auth/src/index.js';
import {
  AddOperatorDto,
  CapacityQueryDto,
  CreateFabUnitDto,
  CreateMachineDto,
  CreateReservationDto,
  ListFabUnitsQueryDto,
  MaterialStockDto,
  OpeningHoursDto,
  ReservationsQueryDto,
  UpdateFabUnitDto,
} from '#libs/contracts/src/fabrication/dto.js';
import { FABRICATION_HTTP_PATTERNS } from '#libs/contracts/src/fabrication/patterns.js';
import type {
  CapacityView,
  FabUnitPage,
  FabUnitView,
  MachineView,
  MaterialStockView,
  OkwExport,
  OkwImportSummary,
  OpeningHoursView,
  OperatorsView,
  ReservationView,
} from '#libs/contracts/src/fabrication/views.js';
import {
  CapacityViewDto,
  FabUnitPageDto,
  FabUnitViewDto,
  MachineViewDto,
  MaterialStockViewDto,
  OkwImportSummaryDto,
  OpeningHoursViewDto,
  OperatorsViewDto,
  ReservationViewDto,
} from '#libs/contracts/src/fabrication/view-dtos.js';
import { type Actor, badRequest, DomainError, notFound } from '#libs/contracts/src/index.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { AccountEntity } from '../accounts/account.entity.js';
import { ApiProblems } from '../http/api-problems.decorator.js';

const OPERATOR = { resource: 'fab-unit', role: 'operator' } as const;
/** An import of a few thousand units takes seconds, not the usual RPC budget. */
const IMPORT_TIMEOUT_MS = 120_000;

@ApiTags('fab units')
@Controller('fab-units')
export class FabUnitsController {
  constructor(
    @Inject(serviceClientToken('fabrication')) private readonly fabrication: ServiceClient,
    @InjectRepository(AccountEntity) private readonly accounts: Repository<AccountEntity>,
  ) {}

  @Post()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Register a fab unit; you become its operator' })
  @ApiCreatedResponse({ type: FabUnitViewDto })
  @ApiProblems(400, 401, 403, 409, 503)
  create(@Body() body: CreateFabUnitDto, @CurrentActor() actor: Actor): Promise<FabUnitView> {
    return this.fabrication.send(FABRICATION_HTTP_PATTERNS.fabUnitsCreate, actor, body);
  }

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Find fab units',
    description:
      'Nearest first with `near=lat,lon` (within `radiusKm`, default 50), else by name. `process` includes its ' +
      'sub-processes. Keyset pagination: pass `nextCursor` back as `cursor` with the same filters.',
  })
  @ApiOkResponse({ type: FabUnitPageDto })
  @ApiProblems(400, 503)
  list(@Query() query: ListFabUnitsQueryDto): Promise<FabUnitPage> {
    return this.fabrication.send(FABRICATION_HTTP_PATTERNS.fabUnitsList, null, query);
  }

  @Post('import')
  @HttpCode(200)
  @PlatformAdminOnly()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Import Open Know Where facilities (platform admins)',
    description:
      'OKW v1 as YAML (`application/yaml`) or JSON, one facility or a list, or the fablabs.io JSON array. Units with ' +
      'the same name and url are one unit: a second import of the same file changes nothing.',
  })
  @ApiConsumes('application/json', 'application/yaml')
  @ApiBody({ schema: { type: 'string', description: 'The OKW document' } })
  @ApiOkResponse({ type: OkwImportSummaryDto, description: 'What the import created, merged, updated, left unchanged or flagged' })
  @ApiProblems(400, 401, 403, 415, 503)
  import(@Req() req: Request, @CurrentActor() actor: Actor): Promise<OkwImportSummary> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    let body: string;
    let mediaType: string;
    if (typeof req.body === 'string') {
      body = req.body;
      // YAML is a superset of JSON: text of any of our text types is read as YAML.
      mediaType = 'application/yaml';
    } else if (type.includes('json') && req.body !== undefined && typeof req.body === 'object') {
      body = JSON.stringify(req.body);
      mediaType = 'application/json';
    } else {
      throw new DomainError(415, 'unsupported-media-type', 'Unsupported media type', 'Send OKW as application/json or application/yaml');
    }
    if (!body.trim()) throw badRequest('The body is empty: send an OKW document');
    return this.fabrication.send(FABRICATION_HTTP_PATTERNS.fabUnitsImport, actor, { body, mediaType }, IMPORT_TIMEOUT_MS);
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'A fab unit with its machines, stock, hours, operators and councils' })
  @ApiOkResponse({ type: FabUnitViewDto })
  @ApiProblems(400, 404, 503)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<FabUnitView> {
    return this.fabrication.send(FABRICATION_HTTP_PATTERNS.fabUnitsGet, null, { fabUnitId: id });
  }

  @Patch(':id')
  @Requires(OPERATOR)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change a fab unit (operators)' })
  @ApiOkResponse({ type: FabUnitViewDto })
  @ApiProblems(400, 401, 403, 404, 409, 503)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateFabUnitDto, @CurrentActor() actor: Actor): Promise<FabUnitView> {
    return this.fabrication.send(FABRICATION_HTTP_PATTERNS.fabUnitsUpdate, actor, { fabUnitId: id, patch: body });
  }

  @Get(':id/okw')
  @Public()
  @Header('Content-Type', 'application/yaml; charset=utf-8')
  @ApiProduces('application/yaml')
  @ApiOperation({ summary: 'The fab unit as an Open Know Where v1 facility (YAML); importing it gives the same unit' })
  @ApiOkResponse({ description: 'OKW v1 facility', content: { 'application/yaml': { schema: { type: 'string' } } } })
  @ApiProblems(400, 404, 503)
  async okw(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request): Promise<string> {
    const out = await this.fabrication.send<OkwExport>(FABRICATION_HTTP_PATTERNS.fabUnitsExportOkw, null, { fabUnitId: id });
    req.res?.setHeader('Content-Disposition', `inline; filename="${out.fileName}"`);
    return out.yaml;
  }

  @Post(':id/operators')
  @Requires(OPERATOR)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Make another account an operator of this unit (operators)' })
  @ApiCreatedResponse({ type: OperatorsViewDto })
  @ApiProblems(400, 401, 403, 404, 503)
  async addOperator(@Param('id', ParseUUIDPipe) id: string, @Body() body: AddOperatorDto, @CurrentActor() actor: Actor): Promise<OperatorsView> {
    // Accounts live here, in the gateway: fabrication cannot tell a typo from a person.
    if (!(await this.accounts.existsBy({ id: body.accountId }))) throw notFound('account', body.accountId);
    return this.fabrication.send(FABRICATION_HTTP_PATTERNS.operatorsAdd, actor, { fabUnitId: id, accountId: body.accountId });
  }

  @Delete(':id/operators/:accountId')
  @Requires(OPERATOR)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Remove an operator (not the last one)' })
  @ApiOkResponse({ type: OperatorsViewDto })
  @ApiProblems(400, 401, 403, 404, 409, 503)
  removeOperator(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @CurrentActor() actor: Actor,
  ): Promise<OperatorsView> {
    return this.fabrication.send(FABRICATION_HTTP_PATTERNS.operatorsRemove, actor, { fabUnitId: id, accountId });
  }

  @Post(':id/machines')
  @Requires(OPERATOR)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Register a machine (or `quantity` identical ones) (operators)' })
  @ApiCreatedResponse({ type: [MachineViewDto], description: 'The machines registered, one per `quantity`' })
  @ApiProblems(400, 401, 403, 404, 503)
  addMachines(@Param('id', ParseUUIDPipe) id: string, @Body() body: CreateMachineDto, @CurrentActor() actor: Actor): Promise<MachineView[]> {
    return this.fabrication.send(FABRICATION_HTTP_PATTERNS.machinesCreate, actor, { fabUnitId: id, machine: body });
  }

  @Put(':id/materials/:material')
  @Requires(OPERATOR)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Set the stock of a material (operators); never below what reservations hold' })
  @ApiOkResponse({ type: MaterialStockViewDto })
  @ApiProblems(400, 401, 403, 404, 409, 503)
  putStock(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('material') material: string,
    @Body() body: MaterialStockDto,
    @CurrentActor() actor: Actor,
  ): Promise<MaterialStockView> {
    return this.fabrication.send(FABRICATION_HTTP_PATTERNS.stockPut, actor, { fabUnitId: id, material, stock: body });
  }

  @Put(':id/opening-hours')
  @Requires(OPERATOR)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Set weekly opening hours, time zone and closures (operators)' })
  @ApiOkResponse({ type: OpeningHoursViewDto })
  @ApiProblems(400, 401, 403, 404, 503)
  putHours(@Param('id', ParseUUIDPipe) id: string, @Body() body: OpeningHoursDto, @CurrentActor() actor: Actor): Promise<OpeningHoursView> {
    return this.fabrication.send(FABRICATION_HTTP_PATTERNS.openingHoursPut, actor, { fabUnitId: id, hours: body });
  }

  @Get(':id/capacity')
  @Public()
  @ApiOperation({ summary: 'Free machine minutes per process (opening hours minus reservations) and free stock over [from, to)' })
  @ApiOkResponse({ type: CapacityViewDto })
  @ApiProblems(400, 404, 503)
  capacity(@Param('id', ParseUUIDPipe) id: string, @Query() query: CapacityQueryDto): Promise<CapacityView> {
    return this.fabrication.send(FABRICATION_HTTP_PATTERNS.capacityGet, null, { fabUnitId: id, ...query });
  }

  @Post(':id/reservations')
  @Requires(OPERATOR)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Reserve a machine for an exact period (maintenance, own work); 409 when it overlaps' })
  @ApiCreatedResponse({ type: ReservationViewDto })
  @ApiProblems(400, 401, 403, 404, 409, 503)
  reserve(@Param('id', ParseUUIDPipe) id: string, @Body() body: CreateReservationDto, @CurrentActor() actor: Actor): Promise<ReservationView> {
    return this.fabrication.send(FABRICATION_HTTP_PATTERNS.reservationsCreate, actor, { fabUnitId: id, reservation: body });
  }

  @Get(':id/reservations')
  @Requires(OPERATOR)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Active reservations overlapping [from, to) (default: the next 31 days)' })
  @ApiOkResponse({ type: [ReservationViewDto] })
  @ApiProblems(400, 401, 403, 404, 503)
  reservations(@Param('id', ParseUUIDPipe) id: string, @Query() query: ReservationsQueryDto): Promise<ReservationView[]> {
    return this.fabrication.send(FABRICATION_HTTP_PATTERNS.reservationsList, null, { fabUnitId: id, ...query });
  }

  @Delete(':id/reservations/:reservationId')
  @Requires(OPERATOR)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Cancel a manual reservation; its time is free again' })
  @ApiOkResponse({ type: ReservationViewDto, description: 'The reservation, released' })
  @ApiProblems(400, 401, 403, 404, 409, 503)
  cancelReservation(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('reservationId', ParseUUIDPipe) reservationId: string,
    @CurrentActor() actor: Actor,
  ): Promise<ReservationView> {
    return this.fabrication.send(FABRICATION_HTTP_PATTERNS.reservationsCancel, actor, { fabUnitId: id, reservationId });
  }
}
