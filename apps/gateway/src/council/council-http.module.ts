import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountEntity } from '../accounts/account.entity.js';
import { ACCOUNTS_REPOSITORY } from '../accounts/accounts.repository.js';
import { TypeormAccountsRepository } from '../accounts/typeorm-accounts.repository.js';
import { CouncilsController, MotionsController, RoundsController } from './council.controllers.js';

/** The HTTP routes of the council capability; each calls the council service over the transport. */
@Module({
  imports: [TypeOrmModule.forFeature([AccountEntity])],
  controllers: [CouncilsController, MotionsController, RoundsController],
  // Admitting a member checks the account exists: accounts are the gateway's own.
  providers: [{ provide: ACCOUNTS_REPOSITORY, useClass: TypeormAccountsRepository }],
})
export class CouncilHttpModule {}
