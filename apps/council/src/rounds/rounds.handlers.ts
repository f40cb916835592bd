import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AddCandidateMessage,
  type BallotReceipt,
  type CandidateView,
  CastRoundBallotMessage,
  COUNCIL_PATTERNS,
  IdMessage,
  OpenRoundMessage,
  type OwnBallotView,
  type RoundResultView,
  type RoundView,
} from '#libs/contracts/src/council/index.js';
import type { Actor } from '#libs/contracts/src/index.js';
import { AddCandidateUseCase } from './usecases/add-candidate/add-candidate.usecase.js';
import { CastRoundBallotUseCase } from './usecases/cast-round-ballot/cast-round-ballot.usecase.js';
import { CloseRoundUseCase } from './usecases/close-round/close-round.usecase.js';
import { OpenRoundUseCase } from './usecases/open-round/open-round.usecase.js';
import { ReadRoundUseCase } from './usecases/read-round/read-round.usecase.js';
import { RoundResultUseCase } from './usecases/round-result/round-result.usecase.js';

@Controller()
export class RoundsHandlers {
  constructor(
    private readonly openRound: OpenRoundUseCase,
    private readonly readRound: ReadRoundUseCase,
    private readonly addCandidate: AddCandidateUseCase,
    private readonly castBallot: CastRoundBallotUseCase,
    private readonly closeRound: CloseRoundUseCase,
    private readonly roundResult: RoundResultUseCase,
  ) {}

  @MessagePattern(COUNCIL_PATTERNS.roundsOpen)
  open(@Payload('actor') actor: Actor | null, @Payload('data') data: OpenRoundMessage): Promise<RoundView> {
    return this.openRound.execute(actor, data.id, data.body);
  }

  @MessagePattern(COUNCIL_PATTERNS.roundsGet)
  get(@Payload('data') data: IdMessage): Promise<RoundView> {
    return this.readRound.execute(data.id);
  }

  @MessagePattern(COUNCIL_PATTERNS.candidatesAdd)
  candidate(@Payload('actor') actor: Actor | null, @Payload('data') data: AddCandidateMessage): Promise<CandidateView> {
    return this.addCandidate.execute(actor, data.id, data.body);
  }

  @MessagePattern(COUNCIL_PATTERNS.roundBallotsCast)
  cast(@Payload('actor') actor: Actor | null, @Payload('data') data: CastRoundBallotMessage): Promise<BallotReceipt> {
    return this.castBallot.execute(actor, data.id, data.body);
  }

  @MessagePattern(COUNCIL_PATTERNS.roundBallotsGetOwn)
  own(@Payload('actor') actor: Actor | null, @Payload('data') data: IdMessage): Promise<OwnBallotView> {
    return this.castBallot.own(actor, data.id);
  }

  @MessagePattern(COUNCIL_PATTERNS.roundsClose)
  close(@Payload('actor') actor: Actor | null, @Payload('data') data: IdMessage): Promise<RoundResultView> {
    return this.closeRound.byAdmin(actor, data.id);
  }

  @MessagePattern(COUNCIL_PATTERNS.roundsResult)
  result(@Payload('actor') actor: Actor | null, @Payload('data') data: IdMessage): Promise<RoundResultView> {
    return this.roundResult.execute(data.id, actor);
  }

  @MessagePattern(COUNCIL_PATTERNS.roundsExport)
  exportPb(@Payload('data') data: IdMessage): Promise<{ text: string }> {
    return this.closeRound.exportPb(data.id);
  }
}
