import type { JobState } from '#libs/contracts/src/production/states.js';

/**
 * The re-queue sweep's rules, free of Nest, TypeORM and Redis (requeue-sweep.ts does the I/O).
 *
 * A live job's row is the truth; its unit's queue entry is only the reminder a worker acts on.
 * When the reminder is gone (Redis lost it, someone removed it) or died (failed for good), a
 * row that still owes work would wait forever: the sweep gives it a new entry, at most
 * `maxRequeues` times, and then fails the job rather than loop.
 */

/** Where a queue entry stands, as BullMQ's `getState` says, or `missing` (no such entry). */
export type EntryState =
  | 'waiting'
  | 'active'
  | 'delayed'
  | 'prioritized'
  | 'waiting-children'
  | 'completed'
  | 'failed'
  | 'unknown'
  | 'missing';

export interface QueueEntry {
  id: string;
  state: EntryState;
  attemptsMade?: number;
  attempts?: number;
  failedReason?: string;
}

/** A live job as the sweep reads it. */
export interface OwedJob {
  jobId: string;
  fabUnitId: string;
  state: JobState;
  /** Who made the job's last move (re-queues aside): person, machine (an API key) or system (the connector). */
  lastActorKind: 'person' | 'machine' | 'system' | null;
  /** How many times the sweep gave it a new entry already. */
  requeues: number;
}

export type RequeueDecision =
  | { kind: 'leave'; why: 'not-on-queue' | 'entry-live' }
  | { kind: 'requeue'; requeue: number; entryId: string; deadEntry: string }
  | { kind: 'giveUp'; reason: string; deadEntry: string };

/**
 * The BullMQ job id of a job's queue entry after `requeues` re-queues. The first entry is the
 * job id itself (fabQueueMessage); each re-queue gets the next, so two sweeps deciding the same
 * re-queue write the same (queue, job id) and the outbox and BullMQ keep one.
 */
export function fabEntryId(jobId: string, requeues: number): string {
  return requeues === 0 ? jobId : `${jobId}-requeue-${requeues}`;
}

/** `fabEntryId` in SQL, for the candidate query (keep the two in step: requeue-sweep.e2e-spec.ts fails if they part). */
export function fabEntryIdSql(jobIdText: string, requeues: string): string {
  return `CASE WHEN ${requeues} = 0 THEN ${jobIdText} ELSE ${jobIdText} || '-requeue-' || ${requeues} END`;
}

/**
 * Whether a row should have an entry in its unit's queue. A queued job waits on it. An accepted
 * or started job is carried by it only while the system (the connector) moved it there: a job a
 * person or a machine key took over HTTP has left the queue on purpose (its entry was
 * withdrawn), and handing it to a connector would take it from them.
 */
export function owesQueueEntry(job: Pick<OwedJob, 'state' | 'lastActorKind'>): boolean {
  if (job.state === 'queued') return true;
  return (job.state === 'accepted' || job.state === 'in_progress') && job.lastActorKind === 'system';
}

/**
 * Whether a worker will still take the entry. Completed, failed (retries exhausted, or refused
 * for good) and missing entries will never run again; nor will one BullMQ cannot place
 * (`unknown`: a hash in no list).
 */
export function isLiveEntry(entry: Pick<QueueEntry, 'state'>): boolean {
  return entry.state === 'waiting' || entry.state === 'active' || entry.state === 'delayed' || entry.state === 'prioritized' || entry.state === 'waiting-children';
}

/** Why a dead entry is dead, for the transition records. */
export function deadEntryText(entry: QueueEntry): string {
  switch (entry.state) {
    case 'missing':
      return `entry ${entry.id} is gone from the queue`;
    case 'failed':
      return `entry ${entry.id} failed after ${entry.attemptsMade ?? '?'} of ${entry.attempts ?? '?'} attempts${entry.failedReason ? ` (${entry.failedReason})` : ''}`;
    case 'completed':
      return `entry ${entry.id} completed but the job did not move`;
    default:
      return `entry ${entry.id} is ${entry.state}`;
  }
}

export function decideRequeue(job: OwedJob, entry: QueueEntry, maxRequeues: number): RequeueDecision {
  if (!owesQueueEntry(job)) return { kind: 'leave', why: 'not-on-queue' };
  if (isLiveEntry(entry)) return { kind: 'leave', why: 'entry-live' };
  const dead = deadEntryText(entry);
  if (job.requeues >= maxRequeues) {
    return {
      kind: 'giveUp',
      deadEntry: dead,
      reason: `no worker finished it: ${dead}, and it was re-queued ${job.requeues} time${job.requeues === 1 ? '' : 's'} already (at most ${maxRequeues})`,
    };
  }
  return { kind: 'requeue', requeue: job.requeues + 1, entryId: fabEntryId(job.jobId, job.requeues + 1), deadEntry: dead };
}
