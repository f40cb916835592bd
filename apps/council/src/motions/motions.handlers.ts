import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  type BallotReceipt,
  CastMotionBallotMessage,
  COUNCIL_PATTERNS,
  CreateMotionMessage,
  IdMessage,
  type MotionResultView,
  type MotionView,
} from '#libs/contracts/src/council/index.js';
import type { Actor } from '#libs/contracts/src/index.js';
import { MotionVotingUseCase } from './usecases/motion-voting/motion-voting.usecase.js';

@Controller()
export class MotionsHandlers {
  constructor(private readonly motions: MotionVotingUseCase) {}

  @MessagePattern(COUNCIL_PATTERNS.motionsCreate)
  create(@Payload('actor') actor: Actor | null, @Payload('data') data: CreateMotionMessage): Promise<MotionView> {
    return this.motions.create(actor, data.id, data.body);
  }

  @MessagePattern(COUNCIL_PATTERNS.motionsGet)
  get(@Payload('data') data: IdMessage): Promise<MotionView> {
    return this.motions.get(data.id);
  }

  @MessagePattern(COUNCIL_PATTERNS.motionBallotsCast)
  cast(@Payload('actor') actor: Actor | null, @Payload('data') data: CastMotionBallotMessage): Promise<BallotReceipt> {
    return this.motions.cast(actor, data.id, data.body);
  }

  @MessagePattern(COUNCIL_PATTERNS.motionsClose)
  close(@Payload('actor') actor: Actor | null, @Payload('data') data: IdMessage): Promise<MotionResultView> {
    return this.motions.close(actor, data.id);
  }

  @MessagePattern(COUNCIL_PATTERNS.motionsResult)
  result(@Payload('data') data: IdMessage): Promise<MotionResultView> {
    return this.motions.result(data.id);
  }
}
