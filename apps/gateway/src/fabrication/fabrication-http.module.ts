import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountEntity } from '../accounts/account.entity.js';
import { FabUnitsController } from './fab-units.controller.js';
import { MachinesController } from './machines.controller.js';
import { MatchesController } from './matches.controller.js';

/** The HTTP routes of the fabrication capability; each calls the fabrication service over the transport. */
@Module({
  imports: [TypeOrmModule.forFeature([AccountEntity])],
  controllers: [FabUnitsController, MachinesController, MatchesController],
  providers: [],
})
export class FabricationHttpModule {}
