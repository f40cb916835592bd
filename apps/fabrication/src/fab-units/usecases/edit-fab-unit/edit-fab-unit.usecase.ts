import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Actor, conflict, forbidden, notFound } from '#libs/contracts/src/index.js';
import type {
  CreateMachineDto,
  MaterialStockDto,
  OpeningHoursDto,
  UpdateFabUnitDto,
  UpdateMachineDto,
} from '#libs/contracts/src/fabrication/dto.js';
import type { MachineView, MaterialStockView, OpeningHoursView, OperatorsView, FabUnitView } from '#libs/contracts/src/fabrication/views.js';
import { PG_CHECK_VIOLATION, PG_UNIQUE_VIOLATION, pgCode } from '#libs/database/src/index.js';
import { convertQuantity } from '#libs/taxonomy/src/index.js';
import { OperatorAccess } from '../../../access/operator-access.js';
import { dedupeKey } from '../../../okw/dedupe.js';
import { compact, machineRecordsOf, machineView, round9, stockView, unitView } from '../../fab-unit-records.js';
import { InputCheck } from '../../fab-unit-input.js';
import { FAB_UNITS_REPOSITORY, type FabUnitsRepository, type MachinePatch, type UnitPatch } from '../../fab-units.repository.js';
import { machineInput } from '../../machine-input.js';

/**
 * What a unit's operators change: the unit, its machines, stock, hours and operators. Every
 * write checks the actor operates the unit inside its own transaction, after locking the
 * unit row, so two edits of one unit apply one after the other.
 */
@Injectable()
export class EditFabUnitUseCase {
  constructor(
    @Inject(FAB_UNITS_REPOSITORY) private readonly units: FabUnitsRepository,
    private readonly access: OperatorAccess,
  ) {}

  async update(actor: Actor | null, fabUnitId: string, dto: UpdateFabUnitDto): Promise<FabUnitView> {
    const check = new InputCheck();
    check.point(dto.location, 'location');
    const timezone = check.timezone(dto.timezone, 'timezone');
    check.done();
    try {
      await this.units.transaction(async (tx) => {
        await this.access.assert(actor, fabUnitId, tx);
        const unit = (await this.units.lock(fabUnitId, tx))!;
        const patch: UnitPatch = {
          name: dto.name,
          kind: dto.kind,
          status: dto.status,
          accessType: dto.accessType,
          url: dto.url === undefined ? undefined : dto.url || null,
          timezone,
          description: dto.description === undefined ? undefined : dto.description || null,
        };
        if (dto.contact) patch.contact = compact({ name: dto.contact.name, email: dto.contact.email, phone: dto.contact.phone });
        if (dto.location) {
          const l = dto.location;
          Object.assign(patch, {
            lat: l.lat ?? null,
            lon: l.lon ?? null,
            address: l.address ?? null,
            city: l.city ?? null,
            region: l.region ?? null,
            country: l.country ?? null,
            postcode: l.postcode ?? null,
          });
        }
        if (dto.name !== undefined || dto.url !== undefined) {
          patch.dedupeKey = dedupeKey({ name: dto.name ?? unit.name, url: (dto.url === undefined ? unit.url : dto.url) || undefined });
        }
        await this.units.updateUnit(fabUnitId, patch, tx);
      });
    } catch (error) {
      if (pgCode(error) === PG_UNIQUE_VIOLATION) {
        throw conflict('Another fab unit has this name and url: the same name and url are the same unit');
      }
      throw error;
    }
    return this.view(fabUnitId);
  }

  async addMachines(actor: Actor | null, fabUnitId: string, dto: CreateMachineDto): Promise<MachineView[]> {
    const check = new InputCheck();
    const input = machineInput(check, dto, 'machine');
    check.done();
    const ids = await this.units.transaction(async (tx) => {
      await this.access.assert(actor, fabUnitId, tx);
      await this.units.lock(fabUnitId, tx);
      const next = await this.units.nextMachineSlots(fabUnitId, tx);
      const rows = machineRecordsOf([input], fabUnitId, next.position, randomUUID, next.group);
      await this.units.insert([], rows, [], tx);
      await this.units.updateUnit(fabUnitId, {}, tx);
      return rows.map((r) => r.id);
    });
    const [bundle] = await this.units.bundles([fabUnitId]);
    return bundle!.machines.filter((m) => ids.includes(m.id)).map(machineView);
  }

  async updateMachine(actor: Actor | null, machineId: string, dto: UpdateMachineDto): Promise<MachineView> {
    const check = new InputCheck();
    const patch: MachinePatch = {};
    if (dto.process !== undefined) patch.process = check.process(dto.process, 'process');
    if (dto.materials !== undefined) patch.materials = check.materials(dto.materials, 'materials');
    if (dto.status !== undefined) patch.status = dto.status;
    if ('make' in dto) patch.make = dto.make || null;
    if ('model' in dto) patch.model = dto.model || null;
    if ('envelopeMm' in dto) {
      patch.envelopeXMm = dto.envelopeMm?.x ?? null;
      patch.envelopeYMm = dto.envelopeMm?.y ?? null;
      patch.envelopeZMm = dto.envelopeMm?.z ?? null;
    }
    if ('openingHours' in dto) patch.openingHours = check.schedule(dto.openingHours, 'openingHours') ?? null;
    check.done();
    return this.units.transaction(async (tx) => {
      const fabUnitId = await this.units.unitOfMachine(machineId, tx);
      if (!fabUnitId) throw notFound('machine', machineId);
      await this.access.assert(actor, fabUnitId, tx);
      await this.units.lock(fabUnitId, tx);
      await this.units.updateMachine(machineId, patch, tx);
      await this.units.updateUnit(fabUnitId, {}, tx);
      return machineView((await this.units.machine(machineId, tx))!);
    });
  }

  async putStock(actor: Actor | null, fabUnitId: string, rawMaterial: string, dto: MaterialStockDto): Promise<MaterialStockView> {
    const check = new InputCheck();
    const material = check.material(rawMaterial, 'material');
    const unit = check.unit(dto.unit, 'unit');
    check.done();
    return this.units.transaction(async (tx) => {
      await this.access.assert(actor, fabUnitId, tx);
      const row = await this.units.stockRow(fabUnitId, material, tx);
      let held: number | null = null;
      if (row && row.held > 0 && row.unit && row.unit !== unit) {
        // What reservations hold moves to the new unit with the stock.
        try {
          held = convertQuantity(row.held, row.unit, unit);
        } catch {
          throw conflict(`${row.held} ${row.unit} of ${material} are held by reservations: the stock cannot change to ${unit}`);
        }
      }
      const heldNow = held ?? row?.held ?? 0;
      if (dto.quantity < heldNow - 1e-9) {
        throw conflict(`${round9(heldNow)} ${unit} of ${material} are held by reservations: stock cannot go below that`, { held: heldNow });
      }
      try {
        await this.units.putStock(fabUnitId, material, dto.quantity, unit, held, tx);
      } catch (error) {
        if (pgCode(error) === PG_CHECK_VIOLATION) throw conflict(`stock of ${material} cannot go below what reservations hold`);
        throw error;
      }
      return stockView((await this.units.stockRow(fabUnitId, material, tx))!);
    });
  }

  async putHours(actor: Actor | null, fabUnitId: string, dto: OpeningHoursDto): Promise<OpeningHoursView> {
    const check = new InputCheck();
    const timezone = check.timezone(dto.timezone, 'timezone');
    const weekly = check.schedule(dto.weekly, 'weekly') ?? {};
    check.done();
    return this.units.transaction(async (tx) => {
      await this.access.assert(actor, fabUnitId, tx);
      const unit = (await this.units.lock(fabUnitId, tx))!;
      const zone = timezone ?? unit.timezone;
      const closures = check.closures(dto.closures, zone, 'closures');
      check.done();
      const hours = Object.keys(weekly).length ? weekly : null;
      await this.units.putHours(fabUnitId, zone, hours, closures, tx);
      return { fabUnitId, timezone: zone, openingHours: hours, closures };
    });
  }

  async addOperator(actor: Actor | null, fabUnitId: string, accountId: string): Promise<OperatorsView> {
    return this.units.transaction(async (tx) => {
      await this.access.assert(actor, fabUnitId, tx);
      if (actor?.kind === 'machine') throw forbidden('Only a person (an operator) adds operators');
      await this.units.lock(fabUnitId, tx);
      await this.units.addOperator(fabUnitId, accountId, actor?.accountId ?? null, tx);
      return { fabUnitId, operators: await this.units.operators(fabUnitId, tx) };
    });
  }

  async removeOperator(actor: Actor | null, fabUnitId: string, accountId: string): Promise<OperatorsView> {
    return this.units.transaction(async (tx) => {
      await this.access.assert(actor, fabUnitId, tx);
      if (actor?.kind === 'machine') throw forbidden('Only a person (an operator) removes operators');
      await this.units.lock(fabUnitId, tx);
      const operators = await this.units.operators(fabUnitId, tx);
      if (!operators.includes(accountId)) throw notFound('operator', accountId);
      if (operators.length === 1 && !actor?.platformAdmin) {
        throw conflict('This is the last operator of the unit: add another one first');
      }
      await this.units.removeOperator(fabUnitId, accountId, tx);
      return { fabUnitId, operators: operators.filter((o) => o !== accountId) };
    });
  }

  private async view(fabUnitId: string): Promise<FabUnitView> {
    const [bundle] = await this.units.bundles([fabUnitId]);
    if (!bundle) throw notFound('fab unit', fabUnitId);
    return unitView(bundle.unit, bundle.machines, bundle.stock, bundle.operators);
  }
}

