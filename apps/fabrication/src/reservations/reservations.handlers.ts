import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { Actor } from '#libs/contracts/src/index.js';
import {
  CreateReservationMessage,
  ListReservationsMessage,
  PlaceReservationDto,
  ReservationRefMessage,
} from '#libs/contracts/src/fabrication/dto.js';
import { FABRICATION_PATTERNS, type PlacedReservation } from '#libs/contracts/src/fabrication/messages.js';
import { FABRICATION_HTTP_PATTERNS } from '#libs/contracts/src/fabrication/patterns.js';
import type { ReservationView } from '#libs/contracts/src/fabrication/views.js';
import { ManualReservationsUseCase } from './usecases/manual-reservations/manual-reservations.usecase.js';
import { PlaceReservationUseCase } from './usecases/place-reservation/place-reservation.usecase.js';

@Controller()
export class ReservationsHandlers {
  constructor(
    private readonly place: PlaceReservationUseCase,
    private readonly manual: ManualReservationsUseCase,
  ) {}

  /** Production, turning a funded request into jobs. */
  @MessagePattern(FABRICATION_PATTERNS.reservationsPlace)
  placeReservation(@Payload('data') data: PlaceReservationDto): Promise<PlacedReservation> {
    return this.place.execute(data);
  }

  @MessagePattern(FABRICATION_HTTP_PATTERNS.reservationsCreate)
  create(@Payload('actor') actor: Actor | null, @Payload('data') data: CreateReservationMessage): Promise<ReservationView> {
    return this.manual.create(actor, data.fabUnitId, data.reservation);
  }

  @MessagePattern(FABRICATION_HTTP_PATTERNS.reservationsList)
  list(@Payload('data') data: ListReservationsMessage): Promise<ReservationView[]> {
    return this.manual.list(data.fabUnitId, data.from, data.to);
  }

  @MessagePattern(FABRICATION_HTTP_PATTERNS.reservationsCancel)
  cancel(@Payload('actor') actor: Actor | null, @Payload('data') data: ReservationRefMessage): Promise<ReservationView> {
    return this.manual.cancel(actor, data.fabUnitId, data.reservationId);
  }
}
