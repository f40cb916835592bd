import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { BuildReportMessageDto } from '#libs/contracts/src/commons/dto.js';
import type { BuildReportMessage } from '#libs/contracts/src/commons/messages.js';
import { QUEUES } from '#libs/contracts/src/index.js';
import { fieldErrors } from '#libs/platform/src/index.js';
import { ReportBuildUseCase, UnknownDesignVersionError } from './usecases/report-build/report-build.usecase.js';

/**
 * Production's build reports of completed jobs. The queue may deliver a message more than
 * once (retries, a stalled worker, a re-send after a crash); the unique source job id makes
 * the second delivery write nothing. A message that can never succeed (malformed, unknown
 * version) fails at once instead of retrying for hours.
 */
@Processor(QUEUES.buildReports, { concurrency: 4 })
export class BuildReportsProcessor extends WorkerHost {
  private readonly logger = new Logger(BuildReportsProcessor.name);

  constructor(private readonly reportBuild: ReportBuildUseCase) {
    super();
  }

  async process(job: Job<BuildReportMessage>): Promise<{ stored: boolean }> {
    const message = plainToInstance(BuildReportMessageDto, job.data);
    const errors = await validate(message, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      const list = fieldErrors(errors).map((e) => `${e.field}: ${e.message}`).join('; ');
      throw new UnrecoverableError(`malformed build report: ${list}`);
    }
    try {
      const stored = await this.reportBuild.fromProduction(message);
      if (!stored) this.logger.log(`build report of job ${message.sourceJobId} was already stored; nothing written`);
      return { stored };
    } catch (error) {
      if (error instanceof UnknownDesignVersionError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
}
