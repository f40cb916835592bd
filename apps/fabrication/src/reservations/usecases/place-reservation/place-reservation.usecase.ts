import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { badRequest, conflict, notFound } from '#libs/contracts/src/index.js';
import type { PlaceReservationDto } from '#libs/contracts/src/fabrication/dto.js';
import type { PlacedReservation } from '#libs/contracts/src/fabrication/messages.js';
import type { Interval } from '#libs/contracts/src/fabrication/schedule.js';
import {
  PG_DEADLOCK_DETECTED,
  PG_EXCLUSION_VIOLATION,
  PG_SERIALIZATION_FAILURE,
  pgCode,
} from '#libs/database/src/index.js';
import { convertQuantity } from '#libs/taxonomy/src/index.js';
import { Availability, calendarOf } from '../../../availability/availability.js';
import { CLOCK, type Clock } from '../../../availability/clock.js';
import type { MachineRecord } from '../../../fab-units/fab-unit-records.js';
import { envelopeOf, round9 } from '../../../fab-units/fab-unit-records.js';
import { InputCheck } from '../../../fab-units/fab-unit-input.js';
import type { Tx } from '../../../fab-units/fab-units.repository.js';
import { envelopeFits, offers } from '../../../matching/machine-fit.js';
import { formatEnvelope, formatNumber, materialName, stockReason } from '../../../matching/explanations.js';
import { earliestSlots } from '../../../schedule/free-time.js';
import { RESERVATIONS_REPOSITORY, type ReservationsRepository } from '../../reservations.repository.js';

/** Attempts before giving up on a calendar that keeps changing under us. */
export const MAX_PLACE_ATTEMPTS = 8;
const RETRIED = new Set([PG_EXCLUSION_VIOLATION, PG_DEADLOCK_DETECTED, PG_SERIALIZATION_FAILURE]);

/**
 * Reserves machine time for one job step and holds its material, at the earliest fit before
 * needBy. Idempotent by `key`: placing a key again answers what the first placement answered.
 *
 * Concurrency: the candidate machines are locked (in id order), then the stock row, so
 * placements on one machine queue rather than collide; the exclusion constraint still has
 * the last word (a manual reservation may race us), and on 23P01 the whole placement runs
 * again on the new calendar, a bounded number of times.
 */
@Injectable()
export class PlaceReservationUseCase {
  private readonly logger = new Logger('PlaceReservation');

  constructor(
    @Inject(RESERVATIONS_REPOSITORY) private readonly repo: ReservationsRepository,
    private readonly availability: Availability,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  async execute(dto: PlaceReservationDto): Promise<PlacedReservation> {
    const check = new InputCheck();
    const process = check.process(dto.process, 'process');
    const material = check.material(dto.material, 'material');
    const unit = check.unit(dto.materialUnit, 'materialUnit');
    check.done();
    const needBy = new Date(dto.needBy);
    const notBefore = new Date(Math.max(new Date(dto.notBefore).getTime(), this.now().getTime()));
    if (needBy.getTime() <= notBefore.getTime()) {
      throw badRequest('needBy must be after notBefore and after now', [{ field: 'needBy', message: 'needBy is not in the future' }]);
    }
    const step = { ...dto, process, material, materialUnit: unit };

    for (let attempt = 1; ; attempt++) {
      try {
        return await this.repo.transaction((tx) => this.attempt(step, notBefore, needBy, tx));
      } catch (error) {
        const code = pgCode(error);
        if (!code || !RETRIED.has(code)) throw error;
        if (attempt >= MAX_PLACE_ATTEMPTS) {
          this.logger.warn(`placement ${dto.key}: gave up after ${attempt} attempts (${code})`);
          throw conflict(`The calendar of fab unit ${dto.fabUnitId} kept changing; no reservation was made. Try again.`);
        }
        await sleep(2 + Math.random() * 8 * attempt);
      }
    }
  }

  private async attempt(dto: PlaceReservationDto, notBefore: Date, needBy: Date, tx: Tx): Promise<PlacedReservation> {
    const { key, fabUnitId } = dto;
    const unit = await this.repo.unitCalendar(fabUnitId, tx);
    if (!unit) throw notFound('fab unit', fabUnitId);

    if (!(await this.repo.insertPlacement(key, fabUnitId, dto.designVersionId ?? null, dto, tx))) {
      const placed = await this.repo.placement(key, tx);
      if (placed?.result) return placed.result;
      throw conflict(`Reservation ${key} is being placed; ask again`);
    }
    const ended = await this.repo.outcomeOf(key, tx);
    if (ended) throw conflict(`Job ${key} has ended (${ended}d) already: nothing to reserve`);
    if (unit.status !== 'Active') throw conflict(`Fab unit ${unit.name} is ${unit.status}: it takes no new work`);

    const machines = await this.repo.lockMachines(fabUnitId, dto.machineId, tx);
    if (dto.machineId && !machines.length) throw notFound('machine', dto.machineId);
    const fitting = machines.filter((m) => !unfit(m, dto));
    if (!fitting.length) {
      const reason = dto.machineId ? unfit(machines[0]!, dto)! : `no available machine of fab unit ${unit.name} does ${dto.process} on ${materialName(dto.material)}${dto.envelopeMm ? ` within ${formatEnvelope(dto.envelopeMm)}` : ''}`;
      throw conflict(reason, { rule: 'machine' });
    }

    let hold: { quantity: number; unit: string } | null = null;
    if (dto.materialQuantity > 0) {
      const stock = await this.repo.lockStock(fabUnitId, dto.material, tx);
      if (!stock || stock.quantity === null || stock.unit === null) {
        throw conflict(stockReason(dto.material, null, dto.materialQuantity, dto.materialUnit), { rule: 'stock' });
      }
      let need: number;
      try {
        need = convertQuantity(dto.materialQuantity, dto.materialUnit, stock.unit);
      } catch {
        throw conflict(`${materialName(dto.material)} is stocked in ${stock.unit}, the job needs ${dto.materialUnit}`, { rule: 'stock' });
      }
      if (!(await this.repo.hold(fabUnitId, dto.material, need, tx))) {
        throw conflict(stockReason(dto.material, round9(stock.quantity - stock.held), need, stock.unit).replace(' stock ', ' free stock '), {
          rule: 'stock',
        });
      }
      hold = { quantity: need, unit: stock.unit };
    }

    const reserved = await this.repo.reserved(fitting.map((m) => m.id), notBefore, needBy, tx);
    let best: { machine: MachineRecord; slots: Interval[]; completion: Date } | null = null;
    for (const machine of fitting) {
      const busy = reserved.filter((r) => r.machineId === machine.id);
      const free = this.availability.free(calendarOf(unit, machine), busy, notBefore, needBy);
      const found = earliestSlots(free, dto.minutes, notBefore, needBy);
      if (found && (!best || found.completion.getTime() < best.completion.getTime())) best = { machine, ...found };
    }
    if (!best) {
      throw conflict(
        `No ${formatNumber(dto.minutes)} free minutes for ${dto.process} at ${unit.name} between ${notBefore.toISOString()} and ${needBy.toISOString()}`,
        { rule: 'time' },
      );
    }

    const reservationIds = await this.repo.insertReservations(
      best.slots.map((s) => ({ machineId: best!.machine.id, fabUnitId, key, kind: 'job' as const, start: s.start, end: s.end })),
      tx,
    );
    const materialHoldId = hold ? await this.repo.insertHold(key, fabUnitId, dto.material, hold.quantity, hold.unit, tx) : null;
    const result: PlacedReservation = {
      key,
      reservationIds,
      fabUnitId,
      machineId: best.machine.id,
      slots: best.slots.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() })),
      completion: best.completion.toISOString(),
      materialHoldId,
    };
    await this.repo.finishPlacement(key, best.machine.id, best.completion, result, tx);
    return result;
  }
}

/** Why this machine cannot take the step, or null when it can. */
function unfit(m: MachineRecord, dto: PlaceReservationDto): string | null {
  if (m.status !== 'available') return `machine ${m.id} is ${m.status === 'maintenance' ? 'in maintenance' : m.status}`;
  if (!offers(m.process, dto.process)) return `machine ${m.id} does ${m.process}, not ${dto.process}`;
  const envelope = envelopeOf(m);
  if (!envelopeFits(envelope, dto.envelopeMm)) {
    return `machine ${m.id} envelope ${envelope ? formatEnvelope(envelope) : 'unknown'} < ${formatEnvelope(dto.envelopeMm!)} needed`;
  }
  if (!m.materials.includes(dto.material)) return `machine ${m.id} does not work ${materialName(dto.material)}`;
  return null;
}
