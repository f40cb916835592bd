import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { RoundCloseJob } from '#libs/contracts/src/council/index.js';
import { QUEUES } from '#libs/contracts/src/index.js';
import { QueueWorkers } from '#libs/outbox/src/index.js';
import { CloseRoundUseCase } from './usecases/close-round/close-round.usecase.js';

/** Works QUEUES.roundCloses: the delayed job written with the round closes it when its window ends. */
@Injectable()
export class RoundClosesWorker implements OnApplicationBootstrap {
  constructor(
    private readonly workers: QueueWorkers,
    private readonly closeRound: CloseRoundUseCase,
  ) {}

  onApplicationBootstrap(): void {
    this.workers.start<RoundCloseJob>(QUEUES.roundCloses, (job) => this.closeRound.scheduled(job.data.roundId), { concurrency: 4 });
  }
}
