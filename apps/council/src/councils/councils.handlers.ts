import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AddFabUnitMessage,
  AdmitMemberMessage,
  COUNCIL_PATTERNS,
  type CouncilView,
  CreateCouncilDto,
  IdMessage,
  type MemberView,
} from '#libs/contracts/src/council/index.js';
import type { Actor } from '#libs/contracts/src/index.js';
import { ManageCouncilUseCase } from './usecases/manage-council/manage-council.usecase.js';

@Controller()
export class CouncilsHandlers {
  constructor(private readonly manage: ManageCouncilUseCase) {}

  @MessagePattern(COUNCIL_PATTERNS.councilsCreate)
  create(@Payload('actor') actor: Actor | null, @Payload('data') data: CreateCouncilDto): Promise<CouncilView> {
    return this.manage.create(actor, data);
  }

  @MessagePattern(COUNCIL_PATTERNS.councilsGet)
  get(@Payload('data') data: IdMessage): Promise<CouncilView> {
    return this.manage.get(data.id);
  }

  @MessagePattern(COUNCIL_PATTERNS.membersAdmit)
  admit(@Payload('actor') actor: Actor | null, @Payload('data') data: AdmitMemberMessage): Promise<MemberView> {
    return this.manage.admit(actor, data.id, data.body);
  }

  @MessagePattern(COUNCIL_PATTERNS.fabUnitsAdd)
  addFabUnit(@Payload('actor') actor: Actor | null, @Payload('data') data: AddFabUnitMessage): Promise<CouncilView> {
    return this.manage.addFabUnit(actor, data.id, data.body);
  }
}
