import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { MatchQueryDto } from '#libs/contracts/src/fabrication/dto.js';
import type { MatchResult } from '#libs/contracts/src/fabrication/matching.js';
import { FABRICATION_PATTERNS } from '#libs/contracts/src/fabrication/messages.js';
import { FindMatchesUseCase } from './usecases/find-matches/find-matches.usecase.js';

@Controller()
export class MatchesHandlers {
  constructor(private readonly matches: FindMatchesUseCase) {}

  /** GET /matches, and production and councils asking who can make what. */
  @MessagePattern(FABRICATION_PATTERNS.matchesFind)
  find(@Payload('data') query: MatchQueryDto): Promise<MatchResult> {
    return this.matches.execute(query);
  }
}
