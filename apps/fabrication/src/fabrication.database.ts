import type { AppDatabaseDefinition } from '#libs/database/src/index.js';
import { FabUnitEntity } from './fab-units/fab-unit.entity.js';
import { FabUnitOperatorEntity } from './fab-units/fab-unit-operator.entity.js';
import { MachineEntity } from './fab-units/machine.entity.js';
import { MaterialStockEntity } from './fab-units/material-stock.entity.js';
import { FabUnits1765100000000 } from './migrations/1765100000000-fab-units.js';
import { Reservations1765100000001 } from './migrations/1765100000001-reservations.js';
import { MatchState1765100000002 } from './migrations/1765100000002-match-state.js';
import { MaterialHoldEntity, PlacementEntity, ReservationEntity } from './reservations/reservation.entity.js';

export const fabricationDatabase: AppDatabaseDefinition = {
  schema: 'fabrication',
  entities: [
    FabUnitEntity,
    FabUnitOperatorEntity,
    MachineEntity,
    MaterialStockEntity,
    ReservationEntity,
    MaterialHoldEntity,
    PlacementEntity,
  ],
  migrations: [FabUnits1765100000000, Reservations1765100000001, MatchState1765100000002],
};
