import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#libs/contracts/src/index.js';
import { JOB_STATES, type JobState } from '#libs/contracts/src/production/states.js';
import { canJob, JOB_ACTIONS, type JobAction, nextJobState } from './job-state.js';

/** Every (state, action) pair, with the expected outcome: the next state, or 409. */
const EXPECTED: Record<JobState, Partial<Record<JobAction, JobState>>> = {
  queued: { accept: 'accepted', decline: 'declined', cancel: 'cancelled' },
  accepted: { start: 'in_progress', decline: 'declined', fail: 'failed', cancel: 'cancelled' },
  in_progress: { progress: 'in_progress', complete: 'completed', fail: 'failed', cancel: 'cancelled' },
  completed: {},
  failed: {},
  cancelled: {},
  declined: {},
};

const table = JOB_STATES.flatMap((state) => JOB_ACTIONS.map((action) => [state, action, EXPECTED[state][action] ?? null] as const));

describe('the production job state machine', () => {
  it('covers every state and action (7 × 7)', () => {
    expect(table).toHaveLength(49);
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
