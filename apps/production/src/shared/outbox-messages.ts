import type { BuildReportMessage } from '#libs/contracts/src/commons/messages.js';
import type { ReservationOutcomeMessage } from '#libs/contracts/src/fabrication/messages.js';
import { QUEUES } from '#libs/contracts/src/index.js';
import type { OutboxMessage } from '#libs/outbox/src/index.js';

/**
 * The messages production writes through its outbox. Job ids are deterministic, so writing
 * one twice (a retried transaction, a stalled worker) is a no-op in the outbox and in BullMQ.
 */
export function fabQueueMessage(jobId: string, fabUnitId: string): OutboxMessage {
  return { queue: QUEUES.fabUnit(fabUnitId), name: 'job', payload: { jobId }, jobId };
}

export function reservationOutcomeMessage(jobId: string, outcome: ReservationOutcomeMessage['outcome'], at = new Date()): OutboxMessage {
  const payload: ReservationOutcomeMessage = { key: jobId, outcome, at: at.toISOString() };
  return { queue: QUEUES.reservations, name: outcome, payload, jobId: `${outcome}-${jobId}` };
}

export function buildReportMessage(report: BuildReportMessage): OutboxMessage {
  return { queue: QUEUES.buildReports, name: 'build-report', payload: report, jobId: `build-${report.sourceJobId}` };
}
