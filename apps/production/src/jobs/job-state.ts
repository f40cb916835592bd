import { conflict, type DomainError } from '#libs/contracts/src/index.js';
import { JOB_STATES, type JobState } from '#libs/contracts/src/production/states.js';

/**
 * The production job's state machine, as data. One job is one step of a plan at one machine:
 *
 *   queued ─accept→ accepted ─start→ in_progress ─complete→ completed
 *     │               │                 │ ↺ progress
 *     ├─decline→ declined (a new job takes the step at the next candidate)
 *     │               ├─decline→ declined
 *     │               └─fail→ failed ←fail─┘
 *     └─cancel→ cancelled ←cancel─ accepted, in_progress
 *
 * Two actions are the system's alone (no HTTP route reaches them), taken by the re-queue
 * sweep (requeue-sweep.ts) when a job's queue entry died: `requeue` records a new entry
 * (the state stays), `giveUp` fails a job that ran out of re-queues, from any live state (a
 * queued job too: nobody will ever take it).
 *
 * completed, failed, cancelled and declined are final. The database applies the same table:
 * `UPDATE … WHERE id = $1 AND state = ANY(from)`, so two concurrent transitions cannot both win.
 */
export const JOB_ACTIONS = ['accept', 'decline', 'start', 'progress', 'complete', 'fail', 'cancel', 'requeue', 'giveUp'] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];

export const JOB_TRANSITIONS: Readonly<Record<JobAction, { from: readonly JobState[]; to: JobState | 'same' }>> = {
  accept: { from: ['queued'], to: 'accepted' },
  decline: { from: ['queued', 'accepted'], to: 'declined' },
  start: { from: ['accepted'], to: 'in_progress' },
  progress: { from: ['in_progress'], to: 'same' },
  complete: { from: ['in_progress'], to: 'completed' },
  fail: { from: ['accepted', 'in_progress'], to: 'failed' },
  cancel: { from: ['queued', 'accepted', 'in_progress'], to: 'cancelled' },
  requeue: { from: ['queued', 'accepted', 'in_progress'], to: 'same' },
  giveUp: { from: ['queued', 'accepted', 'in_progress'], to: 'failed' },
};

/** The actions only the system takes (the re-queue sweep); people and machines never may. */
export const SYSTEM_JOB_ACTIONS = ['requeue', 'giveUp'] as const satisfies readonly JobAction[];

export const FINAL_JOB_STATES: readonly JobState[] = ['completed', 'failed', 'cancelled', 'declined'];
/** Jobs that still hold a reservation. */
export const LIVE_JOB_STATES: readonly JobState[] = ['queued', 'accepted', 'in_progress'];

export function isJobState(value: string): value is JobState {
  return (JOB_STATES as readonly string[]).includes(value);
}

export function canJob(state: JobState, action: JobAction): boolean {
  return JOB_TRANSITIONS[action].from.includes(state);
}

/** The state after `action`, or the 409 naming the current state. */
export function nextJobState(jobId: string, state: JobState, action: JobAction): JobState {
  if (!canJob(state, action)) throw illegalJobTransition(jobId, state, action);
  const to = JOB_TRANSITIONS[action].to;
  return to === 'same' ? state : to;
}

export function illegalJobTransition(jobId: string, state: string, action: JobAction): DomainError {
  const allowed = JOB_TRANSITIONS[action].from;
  return conflict(`Job ${jobId} is ${state}: it cannot ${action} (only from ${allowed.join(' or ')})`, {
    currentState: state,
    action,
    allowedFrom: [...allowed],
  });
}
