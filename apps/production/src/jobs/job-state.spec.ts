import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#libs/contracts/src/index.js';
import { JOB_HTTP_ACTIONS, JOB_STATES, type JobState } from '#libs/contracts/src/production/states.js';
import { canJob, JOB_ACTIONS, type JobAction, nextJobState, SYSTEM_JOB_ACTIONS } from './job-state.js';

/** Every (state, action) pair, with the expected outcome: the next state, or 409. */
const EXPECTED: Record<JobState, Partial<Record<JobAction, JobState>>> = {
  queued: { accept: 'accepted', decline: 'declined', cancel: 'cancelled', requeue: 'queued', giveUp: 'failed' },
  accepted: { start: 'in_progress', decline: 'declined', fail: 'failed', cancel: 'cancelled', requeue: 'accepted', giveUp: 'failed' },
  in_progress: { progress: 'in_progress', complete: 'completed', fail: 'failed', cancel: 'cancelled', requeue: 'in_progress', giveUp: 'failed' },
  completed: {},
  failed: {},
  cancelled: {},
  declined: {},
};

const table = JOB_STATES.flatMap((state) => JOB_ACTIONS.map((action) => [state, action, EXPECTED[state][action] ?? null] as const));

describe('the production job state machine', () => {
  it('covers every state and action (7 × 9)', () => {
    expect(table).toHaveLength(63);
  });

  it('keeps the system-only actions out of HTTP', () => {
    for (const action of SYSTEM_JOB_ACTIONS) expect(JOB_HTTP_ACTIONS as readonly string[]).not.toContain(action);
  });

  it.each(table.filter(([, , to]) => to !== null))('%s —%s→ %s', (state, action, to) => {
    expect(canJob(state, action)).toBe(true);
    expect(nextJobState('j1', state, action)).toBe(to);
  });

  it.each(table.filter(([, , to]) => to === null))('%s —%s→ 409 naming the current state', (state, action) => {
    expect(canJob(state, action)).toBe(false);
    let error: unknown;
    try {
      nextJobState('j1', state, action);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    const problem = (error as DomainError).toProblem();
    expect(problem.status).toBe(409);
    expect(problem.detail).toContain(`is ${state}`);
    expect(problem.currentState).toBe(state);
  });
});
