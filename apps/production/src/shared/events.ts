import { Logger } from '@nestjs/common';
import {
  type JobStateChangedEvent,
  type JobStateChanges,
  PRODUCTION_EVENTS,
  type RequestStateChangedEvent,
  type RequestStateChanges,
} from '#libs/contracts/src/production/patterns.js';
import { EndedJobMessages } from './outbox-messages.js';

/** Where state-change events go: the transport (fire and forget) or nowhere (a bare worker process). */
export interface EventSink {
  emit(pattern: string, data: unknown): Promise<void> | void;
}

export const NO_EVENTS: EventSink = { emit: () => undefined };

/** Collects the state changes of one transaction; published only after it commits. */
export class EventBuffer {
  readonly jobs: JobStateChangedEvent[] = [];
  readonly requests: RequestStateChangedEvent[] = [];
  /** Jobs that left `queued` outside their queue's worker (a person, a machine over HTTP, a cancel). */
  readonly leftQueue: { jobId: string; fabUnitId: string }[] = [];
  /** Build reports and reservation outcomes of the jobs it ended: written to the outbox at its end, before the commit (JobWork.tx). */
  readonly ended = new EndedJobMessages();
  /**
   * One time for the whole transaction's changes (as PostgreSQL's now() is one time for all its
   * rows): a connector's batch records thousands of changes, and a Date and its string each
   * were a noticeable share of its work.
   */
  private at: string | null = null;

  job(e: Omit<JobStateChangedEvent, 'at'>): void {
    this.jobs.push({ ...e, at: (this.at ??= new Date().toISOString()) });
  }

  request(e: Omit<RequestStateChangedEvent, 'at'>): void {
    this.requests.push({ ...e, at: (this.at ??= new Date().toISOString()) });
  }
}

/**
 * Publishes job and request state changes on the transport. Never awaited by the work and
 * never the only carrier of anything that matters: a lost event loses a dashboard update,
 * not a job (the outbox and BullMQ carry the work).
 */
export class EventPublisher {
  private readonly logger = new Logger('ProductionEvents');

  constructor(private readonly sink: EventSink) {}

  /** One message per transaction and kind (a connector's batch changes hundreds of jobs at once). */
  publish(buffer: EventBuffer): void {
    if (buffer.jobs.length) this.send(PRODUCTION_EVENTS.jobStateChanged, { changes: buffer.jobs } satisfies JobStateChanges);
    if (buffer.requests.length) this.send(PRODUCTION_EVENTS.requestStateChanged, { changes: buffer.requests } satisfies RequestStateChanges);
  }

  private send(pattern: string, data: unknown): void {
    try {
      void Promise.resolve(this.sink.emit(pattern, data)).catch((error: Error) => this.logger.debug(`event ${pattern} not sent: ${error.message}`));
    } catch (error) {
      this.logger.debug(`event ${pattern} not sent: ${(error as Error).message}`);
    }
  }
}
