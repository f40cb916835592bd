import { Inject, Injectable } from '@nestjs/common';
import { type Actor, badRequest, conflict, notFound } from '#libs/contracts/src/index.js';
import type { CreateReservationDto } from '#libs/contracts/src/fabrication/dto.js';
import type { ReservationView } from '#libs/contracts/src/fabrication/views.js';
import { PG_EXCLUSION_VIOLATION, pgCode } from '#libs/database/src/index.js';
import { OperatorAccess } from '../../../access/operator-access.js';
import { CLOCK, type Clock } from '../../../availability/clock.js';
import { RESERVATIONS_REPOSITORY, type ReservationsRepository } from '../../reservations.repository.js';

const MAX_SPAN_MS = 366 * 86_400_000;

/**
 * Operators reserving a machine themselves (maintenance, a private job): an exact period,
 * refused with 409 when it overlaps anything active on that machine — the exclusion
 * constraint decides, so two racing requests cannot both win.
 */
@Injectable()
export class ManualReservationsUseCase {
  constructor(
    @Inject(RESERVATIONS_REPOSITORY) private readonly repo: ReservationsRepository,
    private readonly access: OperatorAccess,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  async create(actor: Actor | null, fabUnitId: string, dto: CreateReservationDto): Promise<ReservationView> {
    const start = new Date(dto.start);
    const end = new Date(dto.end);
    if (end.getTime() <= start.getTime()) throw badRequest('end must be after start', [{ field: 'end', message: 'end must be after start' }]);
    if (end.getTime() - start.getTime() > MAX_SPAN_MS) throw badRequest('a reservation spans at most 366 days', [{ field: 'end', message: 'too long' }]);
    await this.access.assert(actor, fabUnitId);
    const machine = await this.repo.machineOfUnit(fabUnitId, dto.machineId);
    if (!machine) throw notFound('machine', dto.machineId);
    try {
      const [id] = await this.repo.insertReservations([
        {
          machineId: machine.id,
          fabUnitId,
          key: null,
          kind: 'manual',
          start,
          end,
          note: dto.note ?? null,
          createdBy: actor?.accountId ?? null,
        },
      ]);
      return (await this.repo.reservation(fabUnitId, id!))!;
    } catch (error) {
      if (pgCode(error) !== PG_EXCLUSION_VIOLATION) throw error;
      const clashes = await this.repo.overlapping(machine.id, start, end);
      throw conflict(
        `Machine ${machine.id} is already reserved ${clashes.map((c) => `${c.start}–${c.end}`).join(', ') || 'in that period'}`,
        { overlapping: clashes.map((c) => ({ id: c.id, start: c.start, end: c.end, kind: c.kind })) },
      );
    }
  }

  async list(fabUnitId: string, from?: string, to?: string): Promise<ReservationView[]> {
    const lo = from ? new Date(from) : this.now();
    const hi = to ? new Date(to) : new Date(lo.getTime() + 31 * 86_400_000);
    if (hi.getTime() <= lo.getTime()) throw badRequest('to must be after from', [{ field: 'to', message: 'to must be after from' }]);
    if (hi.getTime() - lo.getTime() > MAX_SPAN_MS) throw badRequest('at most 366 days at once', [{ field: 'to', message: 'too long' }]);
    if (!(await this.repo.unitCalendar(fabUnitId))) throw notFound('fab unit', fabUnitId);
    return this.repo.list(fabUnitId, lo, hi);
  }

  async cancel(actor: Actor | null, fabUnitId: string, reservationId: string): Promise<ReservationView> {
    await this.access.assert(actor, fabUnitId);
    return this.repo.transaction(async (tx) => {
      const r = await this.repo.reservation(fabUnitId, reservationId, tx);
      if (!r) throw notFound('reservation', reservationId);
      if (r.kind !== 'manual') throw conflict('A job reservation ends with its job (complete, fail or cancel the job)');
      if (!r.releasedAt) await this.repo.releaseManual(reservationId, this.now(), tx);
      return (await this.repo.reservation(fabUnitId, reservationId, tx))!;
    });
  }
}
