import { createHash } from 'node:crypto';
import {
  BUILD_REPORT_JOBS,
  type BuildReportMessage,
  type BuildReportsMessage,
  MAX_BUILD_REPORTS_PER_MESSAGE,
} from '#libs/contracts/src/commons/messages.js';
import {
  MAX_OUTCOME_KEYS_PER_MESSAGE,
  RESERVATION_OUTCOME_JOBS,
  type ReservationOutcomesMessage,
} from '#libs/contracts/src/fabrication/messages.js';
import { QUEUES } from '#libs/contracts/src/index.js';
import type { OutboxMessage } from '#libs/outbox/src/index.js';

type Outcome = ReservationOutcomesMessage['outcome'];

/**
 * The messages production writes through its outbox. Job ids are deterministic, so writing
 * one twice (a retried transaction, a stalled worker) is a no-op in the outbox and in BullMQ.
 */
export function fabQueueMessage(jobId: string, fabUnitId: string): OutboxMessage {
  return { queue: QUEUES.fabUnit(fabUnitId), name: 'job', payload: { jobId }, jobId };
}

/** Queue entries one fan-out row carries at most (the relay's sweep reads each entry's BullMQ job). */
export const MAX_QUEUE_ENTRIES_PER_ROW = 1000;

/**
 * The queue entries of jobs created in one transaction: one outbox row per fab unit for all of
 * its jobs (a fan-out: each job still gets its own BullMQ entry, under its own id, in the
 * order given), a plain message for a unit with one job. A round's funding queues thousands of
 * jobs at once, and each outbox row costs a heap tuple, three index entries and a non-HOT
 * update when sent. The row's id is deterministic too: a retried transaction writes nothing twice.
 */
export function fabQueueMessages(jobs: readonly { id: string; fabUnitId: string }[]): OutboxMessage[] {
  const byUnit = new Map<string, string[]>();
  for (const j of jobs) {
    const ids = byUnit.get(j.fabUnitId);
    if (ids) ids.push(j.id);
    else byUnit.set(j.fabUnitId, [j.id]);
  }
  return [...byUnit].flatMap(([fabUnitId, ids]) =>
    chunks(ids, MAX_QUEUE_ENTRIES_PER_ROW).map((part) =>
      part.length === 1
        ? fabQueueMessage(part[0]!, fabUnitId)
        : {
            queue: QUEUES.fabUnit(fabUnitId),
            name: 'job',
            payload: { jobs: part.length },
            jobId: batchJobId('jobs', [...part].sort()),
            entries: part.map((jobId) => ({ jobId, payload: { jobId } })),
          },
    ),
  );
}

/**
 * The build reports of one transaction's completed jobs, as few messages as the size cap
 * allows (every message costs an outbox row, a relay round, a BullMQ job and a commons run).
 */
export function buildReportsMessages(reports: readonly BuildReportMessage[]): OutboxMessage[] {
  const byJob = new Map(reports.map((r) => [r.sourceJobId, r]));
  return chunks([...byJob.keys()].sort(), MAX_BUILD_REPORTS_PER_MESSAGE).map((ids) => {
    const payload: BuildReportsMessage = { reports: ids.map((id) => byJob.get(id)!) };
    return { queue: QUEUES.buildReports, name: BUILD_REPORT_JOBS.batch, payload, jobId: batchJobId('builds', ids) };
  });
}

/** The reservations of jobs that ended the same way in one transaction, as few messages as the size cap allows. */
export function reservationOutcomesMessages(keys: readonly string[], outcome: Outcome, at = new Date()): OutboxMessage[] {
  const when = at.toISOString();
  return chunks([...new Set(keys)].sort(), MAX_OUTCOME_KEYS_PER_MESSAGE).map((ids) => {
    const payload: ReservationOutcomesMessage = { keys: ids, outcome, at: when };
    return { queue: QUEUES.reservations, name: RESERVATION_OUTCOME_JOBS.batch, payload, jobId: batchJobId(outcome, ids) };
  });
}

/**
 * Named after its items (sorted, so the order they came in does not matter): a retried
 * transaction writes the same id again, and so does a later one ending the very same jobs the
 * same way, as the one-per-job ids did. Hashed because a batch of job ids is no name for a key.
 */
function batchJobId(prefix: string, sortedIds: readonly string[]): string {
  return `${prefix}-${createHash('sha1').update(sortedIds.join('\n')).digest('hex')}`;
}

function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/**
 * What one transaction owes commons and fabrication for the jobs it ended, gathered wherever
 * it ends them (a failure also cancels the job's siblings, a decline may fail the request) and
 * written once at its end by JobWork.tx: one message per queue and outcome, not one per job.
 */
export class EndedJobMessages {
  private readonly reports: BuildReportMessage[] = [];
  private readonly outcomes: Record<Outcome, string[]> = { consume: [], release: [] };

  report(report: BuildReportMessage): void {
    this.reports.push(report);
  }

  outcome(keys: readonly string[], outcome: Outcome): void {
    const into = this.outcomes[outcome];
    for (const key of keys) into.push(key);
  }

  /** The messages gathered so far; gathering starts over. */
  take(at = new Date()): OutboxMessage[] {
    const messages = [
      ...buildReportsMessages(this.reports),
      ...reservationOutcomesMessages(this.outcomes.consume, 'consume', at),
      ...reservationOutcomesMessages(this.outcomes.release, 'release', at),
    ];
    this.reports.length = 0;
    this.outcomes.consume.length = 0;
    this.outcomes.release.length = 0;
    return messages;
  }
}
