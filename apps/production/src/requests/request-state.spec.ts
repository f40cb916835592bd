import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#libs/contracts/src/index.js';
import { REQUEST_STATES, type RequestState } from '#libs/contracts/src/production/states.js';
import { canRequest, nextRequestState, REQUEST_ACTIONS, type RequestAction } from './request-state.js';

const EXPECTED: Record<RequestState, Partial<Record<RequestAction, RequestState>>> = {
  draft: { submit: 'submitted', cancel: 'cancelled' },
  submitted: { enterAllocation: 'in_allocation', fund: 'funded', fail: 'failed', cancel: 'cancelled' },
  in_allocation: { fund: 'funded', refuse: 'unfunded', fail: 'failed', cancel: 'cancelled' },
  funded: { startProduction: 'in_production', fail: 'failed', cancel: 'cancelled' },
  unfunded: { cancel: 'cancelled' },
  in_production: { fulfil: 'fulfilled', fail: 'failed', cancel: 'cancelled' },
  fulfilled: {},
  failed: {},
  cancelled: {},
};

const table = REQUEST_STATES.flatMap((state) => REQUEST_ACTIONS.map((action) => [state, action, EXPECTED[state][action] ?? null] as const));

describe('the production request state machine', () => {
  it('covers every state and action (9 × 8)', () => {
    expect(table).toHaveLength(72);
  });

  it.each(table.filter(([, , to]) => to !== null))('%s —%s→ %s', (state, action, to) => {
    expect(canRequest(state, action)).toBe(true);
    expect(nextRequestState('r1', state, action)).toBe(to);
  });

  it.each(table.filter(([, , to]) => to === null))('%s —%s→ 409 naming the current state', (state, action) => {
    expect(canRequest(state, action)).toBe(false);
    let error: unknown;
    try {
      nextRequestState('r1', state, action);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).status).toBe(409);
    expect((error as DomainError).message).toContain(`is ${state}`);
    expect((error as DomainError).extensions.currentState).toBe(state);
  });
});
