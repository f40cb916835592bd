import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '#libs/config/src/index.js';
import { OutboxModule } from '#libs/outbox/src/index.js';
import { serviceFoundation } from '#libs/platform/src/index.js';
import { CouncilAuthzController } from './authz/authz.controller.js';
import { councilDatabase } from './council.database.js';
import { COUNCILS_REPOSITORY } from './councils/councils.repository.js';
import { CouncilsHandlers } from './councils/councils.handlers.js';
import { TypeormCouncilsRepository } from './councils/typeorm-councils.repository.js';
import { ManageCouncilUseCase } from './councils/usecases/manage-council/manage-council.usecase.js';
import { MOTIONS_REPOSITORY } from './motions/motions.repository.js';
import { MotionsHandlers } from './motions/motions.handlers.js';
import { TypeormMotionsRepository } from './motions/typeorm-motions.repository.js';
import { MotionVotingUseCase } from './motions/usecases/motion-voting/motion-voting.usecase.js';
import { RoundClosesWorker } from './rounds/round-closes.worker.js';
import { ROUNDS_REPOSITORY } from './rounds/rounds.repository.js';
import { RoundsHandlers } from './rounds/rounds.handlers.js';
import { TypeormRoundsRepository } from './rounds/typeorm-rounds.repository.js';
import { AddCandidateUseCase } from './rounds/usecases/add-candidate/add-candidate.usecase.js';
import { CastRoundBallotUseCase } from './rounds/usecases/cast-round-ballot/cast-round-ballot.usecase.js';
import { CloseRoundUseCase } from './rounds/usecases/close-round/close-round.usecase.js';
import { OpenRoundUseCase } from './rounds/usecases/open-round/open-round.usecase.js';
import { ReadRoundUseCase } from './rounds/usecases/read-round/read-round.usecase.js';
import { RoundResultUseCase } from './rounds/usecases/round-result/round-result.usecase.js';
import { CLOCK, systemClock } from './shared/clock.js';

/** Councils, members, motions and allocation rounds; decides rounds and hands them to production. */
@Module({})
export class CouncilModule {
  static forRoot(config: AppConfig): DynamicModule {
    const foundation = serviceFoundation(config, 'council', councilDatabase, ['fabrication', 'production']);
    return {
      module: CouncilModule,
      imports: [
        ...foundation.imports,
        OutboxModule.forApp({ schema: 'council' }),
      ],
      controllers: [foundation.health, CouncilAuthzController, CouncilsHandlers, MotionsHandlers, RoundsHandlers],
      providers: [
        { provide: CLOCK, useValue: systemClock },
        { provide: COUNCILS_REPOSITORY, useClass: TypeormCouncilsRepository },
        { provide: MOTIONS_REPOSITORY, useClass: TypeormMotionsRepository },
        { provide: ROUNDS_REPOSITORY, useClass: TypeormRoundsRepository },
        ManageCouncilUseCase,
        MotionVotingUseCase,
        OpenRoundUseCase,
        ReadRoundUseCase,
        AddCandidateUseCase,
        CastRoundBallotUseCase,
        CloseRoundUseCase,
        RoundResultUseCase,
        RoundClosesWorker,
      ],
    };
  }
}
