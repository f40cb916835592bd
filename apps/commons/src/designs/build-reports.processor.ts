import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { BuildReportMessageDto, BuildReportsMessageDto } from '#libs/contracts/src/commons/dto.js';
import { BUILD_REPORT_JOBS, type BuildReportMessage, type BuildReportsMessage } from '#libs/contracts/src/commons/messages.js';
import { QUEUES } from '#libs/contracts/src/index.js';
import { fieldErrors } from '#libs/platform/src/index.js';
import { ReportBuildUseCase, UnknownDesignVersionError } from './usecases/report-build/report-build.usecase.js';

/**
 * Production's build reports of completed jobs: one job's report (`build-report`, what
 * production sent before batches) or all the reports of one production transaction
 * (`build-reports`). The queue may deliver a message more than once (retries, a stalled
 * worker, a re-send after a crash); the unique source job id makes the second delivery write
 * nothing. A message that can never succeed (malformed, unknown version) fails at once instead
 * of retrying for hours.
 */
@Processor(QUEUES.buildReports, { concurrency: 4 })
export class BuildReportsProcessor extends WorkerHost {
  private readonly logger = new Logger(BuildReportsProcessor.name);

  constructor(private readonly reportBuild: ReportBuildUseCase) {
    super();
  }

  async process(job: Job<BuildReportMessage | BuildReportsMessage>): Promise<{ stored: boolean } | { stored: number; repeated: number }> {
    if (job.name === BUILD_REPORT_JOBS.batch) return this.batch(job.data as BuildReportsMessage);
    return this.single(job.data as BuildReportMessage);
  }

  private async single(data: BuildReportMessage): Promise<{ stored: boolean }> {
    const message = await valid(BuildReportMessageDto, data, 'build report');
    try {
      const stored = await this.reportBuild.fromProduction(message);
      if (!stored) this.logger.log(`build report of job ${message.sourceJobId} was already stored; nothing written`);
      return { stored };
    } catch (error) {
      if (error instanceof UnknownDesignVersionError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }

  /**
   * The known versions' reports are stored even when others name a version commons does not
   * have; the job then fails for good, naming those. Failing (not skipping them quietly) keeps
   * them in sight in Bull Board's failed list as the one-report messages were; and a retry of
   * it later stores nothing twice.
   */
  private async batch(data: BuildReportsMessage): Promise<{ stored: number; repeated: number }> {
    const message = await valid(BuildReportsMessageDto, data, 'build reports batch');
    const result = await this.reportBuild.fromProductionBatch(message.reports);
    if (result.repeated.length) this.logger.log(`${result.repeated.length} of ${message.reports.length} build reports were already stored; not written again`);
    if (result.unknownVersion.length) {
      const named = result.unknownVersion.map((u) => `job ${u.sourceJobId}: design version ${u.designVersionId}`).join('; ');
      throw new UnrecoverableError(
        `${result.unknownVersion.length} of ${message.reports.length} build reports name a design version that does not exist (${named}); the other ${result.stored.length + result.repeated.length} are stored`,
      );
    }
    return { stored: result.stored.length, repeated: result.repeated.length };
  }
}

async function valid<T extends object>(dto: new () => T, data: unknown, what: string): Promise<T> {
  const message = plainToInstance(dto, data);
  const errors = await validate(message, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const list = fieldErrors(errors).map((e) => `${e.field}: ${e.message}`).join('; ');
    throw new UnrecoverableError(`malformed ${what}: ${list}`);
  }
  return message;
}
