import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Actor, conflict, forbidden, unauthorized } from '#libs/contracts/src/index.js';
import type { CreateFabUnitDto } from '#libs/contracts/src/fabrication/dto.js';
import type { FabUnitDraft, MaterialStockDraft } from '#libs/contracts/src/fabrication/fab-unit.js';
import type { FabUnitView } from '#libs/contracts/src/fabrication/views.js';
import { PG_UNIQUE_VIOLATION, pgCode } from '#libs/database/src/index.js';
import { compact, machineRecordsOf, recordsOfDraft, unitView } from '../../fab-unit-records.js';
import { InputCheck } from '../../fab-unit-input.js';
import { FAB_UNITS_REPOSITORY, type FabUnitsRepository } from '../../fab-units.repository.js';
import { machineInput } from '../../machine-input.js';

export const COSMOLOCAL_SYSTEM = 'cosmolocal';

/** A person registers a fab unit and becomes its first operator. */
@Injectable()
export class CreateFabUnitUseCase {
  constructor(@Inject(FAB_UNITS_REPOSITORY) private readonly units: FabUnitsRepository) {}

  async execute(actor: Actor | null, dto: CreateFabUnitDto): Promise<FabUnitView> {
    if (!actor) throw unauthorized();
    if (actor.kind !== 'person') throw forbidden('Only a person registers a fab unit (and becomes its operator)');

    const check = new InputCheck();
    check.point(dto.location, 'location');
    const timezone = check.timezone(dto.timezone, 'timezone');
    const openingHours = check.schedule(dto.openingHours, 'openingHours');
    const closures = check.closures(dto.closures, timezone, 'closures');
    const machines = (dto.machines ?? []).map((m, i) => machineInput(check, m, `machines.${i}`));
    const materials: MaterialStockDraft[] = [];
    (dto.materials ?? []).forEach((s, i) => {
      const material = check.material(s.material, `materials.${i}.material`);
      const unit = check.unit(s.unit, `materials.${i}.unit`);
      if (materials.some((m) => m.material === material)) check.fail(`materials.${i}.material`, `material ${material} is listed twice`);
      materials.push({ material, quantity: s.quantity, unit });
    });
    check.done();

    const id = randomUUID();
    const loc = dto.location ?? {};
    const draft: FabUnitDraft = compact({
      name: dto.name,
      kind: dto.kind ?? 'fablab',
      status: dto.status ?? 'Active',
      accessType: dto.accessType,
      location: compact({ lat: loc.lat, lon: loc.lon, address: loc.address, city: loc.city, region: loc.region, country: loc.country, postcode: loc.postcode }),
      locatable: loc.lat !== undefined && loc.lon !== undefined,
      url: dto.url || undefined,
      contact: compact({ name: dto.contact?.name, email: dto.contact?.email, phone: dto.contact?.phone }),
      timezone,
      description: dto.description || undefined,
      openingHours,
      materials: materials.length ? materials : undefined,
      source: { system: COSMOLOCAL_SYSTEM, id },
    });
    const records = recordsOfDraft(draft, { unitId: id, newId: randomUUID, createdBy: actor.accountId }, { closures });
    const machineRows = machineRecordsOf(machines, id, 0, randomUUID);

    try {
      await this.units.transaction(async (tx) => {
        await this.units.insert([records.unit], machineRows, records.stock, tx);
        await this.units.addOperator(id, actor.accountId, actor.accountId, tx);
      });
    } catch (error) {
      if (pgCode(error) === PG_UNIQUE_VIOLATION) {
        throw conflict(`A fab unit named "${dto.name}" with ${dto.url ? `url ${dto.url}` : 'no url'} exists already: the same name and url are the same unit`, {
          existingId: (await this.units.idsByDedupeKey([records.unit.dedupeKey])).get(records.unit.dedupeKey),
        });
      }
      throw error;
    }
    const [bundle] = await this.units.bundles([id]);
    return unitView(bundle!.unit, bundle!.machines, bundle!.stock, bundle!.operators);
  }
}
