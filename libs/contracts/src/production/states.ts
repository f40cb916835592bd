/** The states of a production request and of a production job (the service's state machines use them). */
export const REQUEST_STATES = [
  'draft',
  'submitted',
  'in_allocation',
  'funded',
  'unfunded',
  'in_production',
  'fulfilled',
  'failed',
  'cancelled',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export const JOB_STATES = ['queued', 'accepted', 'in_progress', 'completed', 'failed', 'cancelled', 'declined'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** What a person or machine does to a job over HTTP. */
export const JOB_HTTP_ACTIONS = ['accept', 'decline', 'start', 'progress', 'complete', 'fail'] as const;
export type JobHttpAction = (typeof JOB_HTTP_ACTIONS)[number];

export const REQUEST_MODES = ['pooled', 'direct'] as const;
export type RequestMode = (typeof REQUEST_MODES)[number];
