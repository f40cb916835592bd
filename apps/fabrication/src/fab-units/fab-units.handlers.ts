import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { type Actor, forbidden, notFound, unauthorized } from '#libs/contracts/src/index.js';
import {
  CreateFabUnitDto,
  CreateMachineMessage,
  FabUnitRefMessage,
  FabUnitsSummaryDto,
  ImportOkwMessage,
  ListFabUnitsQueryDto,
  OperatorMessage,
  PutOpeningHoursMessage,
  PutStockMessage,
  SetCouncilMembershipDto,
  UpdateFabUnitMessage,
  UpdateMachineMessage,
} from '#libs/contracts/src/fabrication/dto.js';
import { FABRICATION_PATTERNS, type FabUnitSummary } from '#libs/contracts/src/fabrication/messages.js';
import { FABRICATION_HTTP_PATTERNS } from '#libs/contracts/src/fabrication/patterns.js';
import type {
  FabUnitPage,
  FabUnitView,
  MachineView,
  MaterialStockView,
  OkwExport,
  OkwImportSummary,
  OpeningHoursView,
  OperatorsView,
} from '#libs/contracts/src/fabrication/views.js';
import { CreateFabUnitUseCase } from './usecases/create-fab-unit/create-fab-unit.usecase.js';
import { EditFabUnitUseCase } from './usecases/edit-fab-unit/edit-fab-unit.usecase.js';
import { ImportOkwUseCase } from './usecases/import-okw/import-okw.usecase.js';
import { ReadFabUnitsUseCase } from './usecases/read-fab-units/read-fab-units.usecase.js';
import { FAB_UNITS_REPOSITORY, type FabUnitsRepository } from './fab-units.repository.js';

@Controller()
export class FabUnitsHandlers {
  constructor(
    private readonly create: CreateFabUnitUseCase,
    private readonly edit: EditFabUnitUseCase,
    private readonly read: ReadFabUnitsUseCase,
    private readonly importer: ImportOkwUseCase,
    @Inject(FAB_UNITS_REPOSITORY) private readonly units: FabUnitsRepository,
  ) {}

  @MessagePattern(FABRICATION_HTTP_PATTERNS.fabUnitsCreate)
  createUnit(@Payload('actor') actor: Actor | null, @Payload('data') data: CreateFabUnitDto): Promise<FabUnitView> {
    return this.create.execute(actor, data);
  }

  @MessagePattern(FABRICATION_HTTP_PATTERNS.fabUnitsList)
  list(@Payload('data') data: ListFabUnitsQueryDto): Promise<FabUnitPage> {
    return this.read.list(data);
  }

  @MessagePattern(FABRICATION_HTTP_PATTERNS.fabUnitsGet)
  get(@Payload('data') data: FabUnitRefMessage): Promise<FabUnitView> {
    return this.read.get(data.fabUnitId);
  }

  @MessagePattern(FABRICATION_HTTP_PATTERNS.fabUnitsUpdate)
  update(@Payload('actor') actor: Actor | null, @Payload('data') data: UpdateFabUnitMessage): Promise<FabUnitView> {
    return this.edit.update(actor, data.fabUnitId, data.patch);
  }

  @MessagePattern(FABRICATION_HTTP_PATTERNS.fabUnitsImport)
  import(@Payload('actor') actor: Actor | null, @Payload('data') data: ImportOkwMessage): Promise<OkwImportSummary> {
    if (!actor) throw unauthorized();
    if (!actor.platformAdmin) throw forbidden('Only platform admins import fab units');
    return this.importer.execute(data.body, data.mediaType, { sourceName: data.sourceName });
  }

  @MessagePattern(FABRICATION_HTTP_PATTERNS.fabUnitsExportOkw)
  exportOkw(@Payload('data') data: FabUnitRefMessage): Promise<OkwExport> {
    return this.read.exportOkw(data.fabUnitId);
  }

  @MessagePattern(FABRICATION_HTTP_PATTERNS.operatorsAdd)
  addOperator(@Payload('actor') actor: Actor | null, @Payload('data') data: OperatorMessage): Promise<OperatorsView> {
    return this.edit.addOperator(actor, data.fabUnitId, data.accountId);
  }

  @MessagePattern(FABRICATION_HTTP_PATTERNS.operatorsRemove)
  removeOperator(@Payload('actor') actor: Actor | null, @Payload('data') data: OperatorMessage): Promise<OperatorsView> {
    return this.edit.removeOperator(actor, data.fabUnitId, data.accountId);
  }

  @MessagePattern(FABRICATION_HTTP_PATTERNS.machinesCreate)
  addMachines(@Payload('actor') actor: Actor | null, @Payload('data') data: CreateMachineMessage): Promise<MachineView[]> {
    return this.edit.addMachines(actor, data.fabUnitId, data.machine);
  }

  @MessagePattern(FABRICATION_HTTP_PATTERNS.machinesUpdate)
  updateMachine(@Payload('actor') actor: Actor | null, @Payload('data') data: UpdateMachineMessage): Promise<MachineView> {
    return this.edit.updateMachine(actor, data.machineId, data.patch);
  }

  @MessagePattern(FABRICATION_HTTP_PATTERNS.stockPut)
  putStock(@Payload('actor') actor: Actor | null, @Payload('data') data: PutStockMessage): Promise<MaterialStockView> {
    return this.edit.putStock(actor, data.fabUnitId, data.material, data.stock);
  }

  @MessagePattern(FABRICATION_HTTP_PATTERNS.openingHoursPut)
  putHours(@Payload('actor') actor: Actor | null, @Payload('data') data: PutOpeningHoursMessage): Promise<OpeningHoursView> {
    return this.edit.putHours(actor, data.fabUnitId, data.hours);
  }

  /** Production and councils: names and places of units, unknown ids left out. */
  @MessagePattern(FABRICATION_PATTERNS.fabUnitsSummary)
  summaries(@Payload('data') data: FabUnitsSummaryDto): Promise<FabUnitSummary[]> {
    return this.read.summaries(data.ids);
  }

  /** The council capability records memberships here so GET /fab-units/{id} can list them. */
  @MessagePattern(FABRICATION_PATTERNS.fabUnitsSetCouncil)
  async setCouncil(@Payload('data') data: SetCouncilMembershipDto): Promise<{ fabUnitId: string; councilIds: string[] }> {
    const councilIds = await this.units.setCouncil(data.fabUnitId, data.councilId, data.member);
    if (!councilIds) throw notFound('fab unit', data.fabUnitId);
    return { fabUnitId: data.fabUnitId, councilIds };
  }
}
