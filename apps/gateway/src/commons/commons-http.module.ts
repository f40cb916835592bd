import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountEntity } from '../accounts/account.entity.js';
import { DesignsController } from './designs.controller.js';
import { OkhController } from './okh.controller.js';

/** The HTTP routes of the commons capability; each calls the commons service over the transport. */
@Module({
  imports: [TypeOrmModule.forFeature([AccountEntity])],
  // OkhController first: its `POST /designs/import` must not be read as a design id.
  controllers: [OkhController, DesignsController],
  providers: [],
})
export class CommonsHttpModule {}
