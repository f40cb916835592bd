import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { QUEUES } from '#libs/contracts/src/index.js';
import type { ReservationOutcomeMessage } from '#libs/contracts/src/fabrication/messages.js';
import { MalformedOutcomeError, type SettleResult, SettleReservationUseCase } from './usecases/settle-reservation/settle-reservation.usecase.js';

/**
 * Works QUEUES.reservations: production says a job's reservation is consumed or released.
 * The use case is idempotent, so BullMQ's at-least-once delivery is safe; a database error
 * throws and BullMQ retries with backoff; a malformed message fails at once.
 */
@Processor(QUEUES.reservations)
export class ReservationOutcomesProcessor extends WorkerHost {
  private readonly logger = new Logger('ReservationOutcomes');

  constructor(private readonly settle: SettleReservationUseCase) {
    super();
  }

  async process(job: Job<ReservationOutcomeMessage>): Promise<SettleResult> {
    try {
      const result = await this.settle.execute(job.data);
      if (result === 'unknown-key') this.logger.warn(`${job.data.outcome} for unknown reservation key ${job.data.key}: recorded, nothing to do`);
      return result;
    } catch (error) {
      if (error instanceof MalformedOutcomeError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
}
