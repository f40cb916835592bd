import { Inject, Injectable } from '@nestjs/common';
import { badRequest, notFound } from '#libs/contracts/src/index.js';
import type { MaterialQuantity } from '#libs/contracts/src/fabrication/matching.js';
import type { Interval } from '#libs/contracts/src/fabrication/schedule.js';
import type { CapacityView, MachineCapacity } from '#libs/contracts/src/fabrication/views.js';
import { convertQuantity } from '#libs/taxonomy/src/index.js';
import { Availability, calendarOf } from '../../../availability/availability.js';
import { round9 } from '../../../fab-units/fab-unit-records.js';
import { CAPACITY_REPOSITORY, type CapacityRepository } from '../../capacity.repository.js';

const MAX_SPAN_MS = 366 * 86_400_000;

/**
 * Free capacity over [from, to): per process, the minutes available machines are open
 * (opening hours minus closures) and not reserved; per material, stock on hand minus holds.
 * Only Active units count: a Planned or Closed unit offers nothing. What a council's round
 * budget is made of (capacityPool), and what an operator sees of their own unit.
 */
@Injectable()
export class ComputeCapacityUseCase {
  constructor(
    @Inject(CAPACITY_REPOSITORY) private readonly repo: CapacityRepository,
    private readonly availability: Availability,
  ) {}

  async forUnit(fabUnitId: string, from: string, to: string): Promise<CapacityView> {
    const view = await this.pool([fabUnitId], from, to);
    if (!view.fabUnitIds.length) throw notFound('fab unit', fabUnitId);
    return view;
  }

  /** Unknown ids are left out; `fabUnitIds` of the answer names the units counted. */
  async pool(fabUnitIds: readonly string[], fromText: string, toText: string): Promise<CapacityView> {
    const from = new Date(fromText);
    const to = new Date(toText);
    if (to.getTime() <= from.getTime()) throw badRequest('to must be after from', [{ field: 'to', message: 'to must be after from' }]);
    if (to.getTime() - from.getTime() > MAX_SPAN_MS) throw badRequest('at most 366 days at once', [{ field: 'to', message: 'too long' }]);
    const ids = [...new Set(fabUnitIds)];
    const [units, machines, reserved, stock] = await Promise.all([
      this.repo.calendars(ids),
      this.repo.machines(ids),
      this.repo.reserved(ids, from, to),
      this.repo.freeStock(ids),
    ]);
    const active = new Map(units.filter((u) => u.status === 'Active').map((u) => [u.id, u]));
    const busy = new Map<string, Interval[]>();
    for (const r of reserved) {
      const list = busy.get(r.machineId);
      if (list) list.push(r);
      else busy.set(r.machineId, [r]);
    }

    const machineMinutes: Record<string, number> = {};
    const perMachine: MachineCapacity[] = [];
    for (const m of machines) {
      const unit = active.get(m.fabUnitId);
      const freeMinutes =
        unit && m.status === 'available' ? this.availability.freeMinutes(calendarOf(unit, m), busy.get(m.id) ?? [], from, to) : 0;
      perMachine.push({ machineId: m.id, process: m.process, freeMinutes });
      if (unit && m.status === 'available') machineMinutes[m.process] = (machineMinutes[m.process] ?? 0) + freeMinutes;
    }

    const materials: Record<string, MaterialQuantity> = {};
    for (const s of stock) {
      if (!active.has(s.fabUnitId)) continue;
      addMaterial(materials, s.material, Math.max(0, s.free), s.unit);
    }
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      fabUnitIds: units.map((u) => u.id),
      machineMinutes,
      materials,
      machines: perMachine,
    };
  }
}

/** Summed in the unit first seen for the material; another dimension gets its own `material@unit` entry. */
function addMaterial(out: Record<string, MaterialQuantity>, material: string, quantity: number, unit: string): void {
  for (const key of [material, `${material}@${unit}`]) {
    const entry = out[key];
    if (!entry) continue;
    try {
      entry.quantity = round9(entry.quantity + convertQuantity(quantity, unit, entry.unit));
      return;
    } catch {
      // another dimension: try the next key
    }
  }
  out[out[material] ? `${material}@${unit}` : material] = { quantity: round9(quantity), unit };
}
