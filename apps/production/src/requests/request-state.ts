import { conflict, type DomainError } from '#libs/contracts/src/index.js';
import { REQUEST_STATES, type RequestState } from '#libs/contracts/src/production/states.js';

/**
 * The production request's state machine, as data:
 *
 *   draft ─submit→ submitted ─enterAllocation→ in_allocation ─refuse→ unfunded
 *                     │                           │
 *                     └─fund (direct)→ funded ←fund┘
 *   funded ─startProduction→ in_production ─fulfil→ fulfilled
 *   submitted, in_allocation, funded, in_production ─fail→ failed (capacity gone, a job failed, nobody left to reroute to)
 *   draft, submitted, in_allocation, funded, unfunded, in_production ─cancel→ cancelled
 *
 * `draft` is the instant between claiming the Idempotency-Key and storing the match.
 */
export const REQUEST_ACTIONS = ['submit', 'enterAllocation', 'fund', 'refuse', 'startProduction', 'fulfil', 'fail', 'cancel'] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

export const REQUEST_TRANSITIONS: Readonly<Record<RequestAction, { from: readonly RequestState[]; to: RequestState }>> = {
  submit: { from: ['draft'], to: 'submitted' },
  enterAllocation: { from: ['submitted'], to: 'in_allocation' },
  fund: { from: ['submitted', 'in_allocation'], to: 'funded' },
  refuse: { from: ['in_allocation'], to: 'unfunded' },
  startProduction: { from: ['funded'], to: 'in_production' },
  fulfil: { from: ['in_production'], to: 'fulfilled' },
  fail: { from: ['submitted', 'in_allocation', 'funded', 'in_production'], to: 'failed' },
  cancel: { from: ['draft', 'submitted', 'in_allocation', 'funded', 'unfunded', 'in_production'], to: 'cancelled' },
};

export function isRequestState(value: string): value is RequestState {
  return (REQUEST_STATES as readonly string[]).includes(value);
}

export function canRequest(state: RequestState, action: RequestAction): boolean {
  return REQUEST_TRANSITIONS[action].from.includes(state);
}

export function nextRequestState(requestId: string, state: RequestState, action: RequestAction): RequestState {
  if (!canRequest(state, action)) throw illegalRequestTransition(requestId, state, action);
  return REQUEST_TRANSITIONS[action].to;
}

const VERB: Record<RequestAction, string> = {
  submit: 'be submitted',
  enterAllocation: 'enter an allocation round',
  fund: 'be funded',
  refuse: 'be marked unfunded',
  startProduction: 'go into production',
  fulfil: 'be fulfilled',
  fail: 'fail',
  cancel: 'be cancelled',
};

export function illegalRequestTransition(requestId: string, state: string, action: RequestAction): DomainError {
  const allowed = REQUEST_TRANSITIONS[action].from;
  return conflict(`Production request ${requestId} is ${state}: it cannot ${VERB[action]} (only from ${allowed.join(', ')})`, {
    currentState: state,
    action,
    allowedFrom: [...allowed],
  });
}
