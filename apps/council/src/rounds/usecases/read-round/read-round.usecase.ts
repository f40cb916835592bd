import { Inject, Injectable } from '@nestjs/common';
import type { RoundView } from '#libs/contracts/src/council/index.js';
import { notFound } from '#libs/contracts/src/index.js';
import { roundView } from '../../../shared/views.js';
import { ROUNDS_REPOSITORY, type RoundsRepository } from '../../rounds.repository.js';

@Injectable()
export class ReadRoundUseCase {
  constructor(@Inject(ROUNDS_REPOSITORY) private readonly rounds: RoundsRepository) {}

  async execute(roundId: string): Promise<RoundView> {
    const round = await this.rounds.find(roundId);
    if (!round) throw notFound('round', roundId);
    const [candidates, ballots] = await Promise.all([this.rounds.candidates(roundId), this.rounds.countBallots(roundId)]);
    return roundView(round, candidates, ballots);
  }
}
