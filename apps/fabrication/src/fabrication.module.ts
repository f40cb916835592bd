import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '#libs/config/src/index.js';
import { QUEUES } from '#libs/contracts/src/index.js';
import { QueuesModule, serviceFoundation } from '#libs/platform/src/index.js';
import { OperatorAccess } from './access/operator-access.js';
import { FabricationAuthzController } from './authz/authz.controller.js';
import { Availability } from './availability/availability.js';
import { CLOCK, systemClock } from './availability/clock.js';
import { CapacityHandlers } from './capacity/capacity.handlers.js';
import { CAPACITY_REPOSITORY } from './capacity/capacity.repository.js';
import { TypeormCapacityRepository } from './capacity/typeorm-capacity.repository.js';
import { ComputeCapacityUseCase } from './capacity/usecases/compute-capacity/compute-capacity.usecase.js';
import { FabUnitsHandlers } from './fab-units/fab-units.handlers.js';
import { FAB_UNITS_REPOSITORY } from './fab-units/fab-units.repository.js';
import { TypeormFabUnitsRepository } from './fab-units/typeorm-fab-units.repository.js';
import { CreateFabUnitUseCase } from './fab-units/usecases/create-fab-unit/create-fab-unit.usecase.js';
import { EditFabUnitUseCase } from './fab-units/usecases/edit-fab-unit/edit-fab-unit.usecase.js';
import { ImportOkwUseCase } from './fab-units/usecases/import-okw/import-okw.usecase.js';
import { ReadFabUnitsUseCase } from './fab-units/usecases/read-fab-units/read-fab-units.usecase.js';
import { fabricationDatabase } from './fabrication.database.js';
import { CANDIDATES_REPOSITORY } from './matches/candidates.repository.js';
import { DesignRequirements } from './matches/design-requirements.js';
import { MatchesHandlers } from './matches/matches.handlers.js';
import { TypeormCandidatesRepository } from './matches/typeorm-candidates.repository.js';
import { UnitSnapshots } from './matches/unit-snapshots.js';
import { FindMatchesUseCase } from './matches/usecases/find-matches/find-matches.usecase.js';
import { ReservationOutcomesProcessor } from './reservations/reservations.processor.js';
import { ReservationsHandlers } from './reservations/reservations.handlers.js';
import { RESERVATIONS_REPOSITORY } from './reservations/reservations.repository.js';
import { TypeormReservationsRepository } from './reservations/typeorm-reservations.repository.js';
import { ManualReservationsUseCase } from './reservations/usecases/manual-reservations/manual-reservations.usecase.js';
import { PlaceReservationUseCase } from './reservations/usecases/place-reservation/place-reservation.usecase.js';
import { SettleReservationUseCase } from './reservations/usecases/settle-reservation/settle-reservation.usecase.js';

@Module({})
export class FabricationModule {
  static forRoot(config: AppConfig): DynamicModule {
    // Design requirements come from commons (GET /matches).
    const foundation = serviceFoundation(config, 'fabrication', fabricationDatabase, ['commons']);
    return {
      module: FabricationModule,
      imports: [
        ...foundation.imports,
        QueuesModule.forRoot(config),
        BullModule.registerQueue({ name: QUEUES.reservations }),
      ],
      controllers: [
        foundation.health,
        FabricationAuthzController,
        FabUnitsHandlers,
        ReservationsHandlers,
        CapacityHandlers,
        MatchesHandlers,
      ],
      providers: [
        { provide: CLOCK, useValue: systemClock },
        { provide: FAB_UNITS_REPOSITORY, useClass: TypeormFabUnitsRepository },
        { provide: RESERVATIONS_REPOSITORY, useClass: TypeormReservationsRepository },
        { provide: CAPACITY_REPOSITORY, useClass: TypeormCapacityRepository },
        { provide: CANDIDATES_REPOSITORY, useClass: TypeormCandidatesRepository },
        Availability,
        OperatorAccess,
        DesignRequirements,
        UnitSnapshots,
        CreateFabUnitUseCase,
        EditFabUnitUseCase,
        ReadFabUnitsUseCase,
        ImportOkwUseCase,
        PlaceReservationUseCase,
        SettleReservationUseCase,
        ManualReservationsUseCase,
        ComputeCapacityUseCase,
        FindMatchesUseCase,
        ReservationOutcomesProcessor,
      ],
    };
  }
}
