import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { QUEUES } from '#libs/contracts/src/index.js';
import {
  RESERVATION_OUTCOME_JOBS,
  type ReservationOutcomeMessage,
  type ReservationOutcomesMessage,
} from '#libs/contracts/src/fabrication/messages.js';
import { MalformedOutcomeError, type SettleResult, SettleReservationUseCase } from './usecases/settle-reservation/settle-reservation.usecase.js';

/** What a batch came to: how many keys of each result, and the unknown ones by name. */
export interface SettledBatch {
  applied: number;
  repeat: number;
  unknownKeys: string[];
}

/**
 * Works QUEUES.reservations: production says jobs' reservations are consumed or released, one
 * job a message (`consume`, `release`: what production sent before batches) or all the jobs
 * one transaction ended the same way (`outcomes`). The use case is idempotent per key, so
 * BullMQ's at-least-once delivery is safe; a database error throws and BullMQ retries with
 * backoff; a malformed message fails at once.
 */
@Processor(QUEUES.reservations)
export class ReservationOutcomesProcessor extends WorkerHost {
  private readonly logger = new Logger('ReservationOutcomes');

  constructor(private readonly settle: SettleReservationUseCase) {
    super();
  }

  async process(job: Job<ReservationOutcomeMessage | ReservationOutcomesMessage>): Promise<SettleResult | SettledBatch> {
    try {
      if (job.name === RESERVATION_OUTCOME_JOBS.batch) return await this.batch(job.data as ReservationOutcomesMessage);
      const data = job.data as ReservationOutcomeMessage;
      const result = await this.settle.execute(data);
      if (result === 'unknown-key') this.logger.warn(`${data.outcome} for unknown reservation key ${data.key}: recorded, nothing to do`);
      return result;
    } catch (error) {
      if (error instanceof MalformedOutcomeError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }

  private async batch(data: ReservationOutcomesMessage): Promise<SettledBatch> {
    const results = await this.settle.executeBatch(data);
    const settled: SettledBatch = { applied: 0, repeat: 0, unknownKeys: [] };
    for (const [key, result] of results) {
      if (result === 'unknown-key') settled.unknownKeys.push(key);
      else settled[result]++;
    }
    if (settled.unknownKeys.length) {
      this.logger.warn(`${data.outcome} for ${settled.unknownKeys.length} unknown reservation keys (${settled.unknownKeys.join(', ')}): recorded, nothing to do`);
    }
    return settled;
  }
}
