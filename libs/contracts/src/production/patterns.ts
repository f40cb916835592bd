/**
 * Gateway ↔ production message patterns (request/response). Every request carries
 * `{ actor, data }`; `data` is the DTO class named beside each pattern (dto.ts), validated
 * again by the service; the answer is the view named (views.ts). The patterns the council
 * uses are in messages.ts.
 */
export const PRODUCTION_HTTP_PATTERNS = {
  /** CreateRequestMessage → CreatedRequestView (`created: false` when the key was seen before). */
  requestsCreate: 'production.requests.create',
  /** RequestRefMessage → ProductionRequestView. */
  requestsGet: 'production.requests.get',
  /** RequestRefMessage → ProductionRequestView (409 naming the state when it cannot be cancelled). */
  requestsCancel: 'production.requests.cancel',
  /** ListUnitJobsMessage → JobView[]. */
  unitJobsList: 'production.unit-jobs.list',
  /** FabUnitJobsRefMessage → JobView | null (null: nothing queued). Takes and accepts the oldest queued job. */
  unitJobsNext: 'production.unit-jobs.next',
  /** JobRefMessage → JobView (with its transitions). */
  jobsGet: 'production.jobs.get',
  /** JobActionMessage → JobView; 409 naming the current state for an illegal transition. */
  jobsAct: 'production.jobs.act',
  /** JobRefMessage → ProvenanceView (404 until the job completed). */
  jobsProvenance: 'production.jobs.provenance',
  /** FabUnitRefMessage → AutomationView. */
  automationGet: 'production.automation.get',
  /** SetAutomationMessage → AutomationView; the unit's connector worker starts or stops with it. */
  automationSet: 'production.automation.set',
} as const;

/**
 * Events published on the transport when jobs or requests change state (fire and forget:
 * for dashboards and caches; the work itself travels through the outbox and BullMQ). One
 * message per committed transaction, carrying every change it made, in order.
 */
export const PRODUCTION_EVENTS = {
  /** JobStateChanges */
  jobStateChanged: 'production.jobs.state-changed',
  /** RequestStateChanges */
  requestStateChanged: 'production.requests.state-changed',
} as const;

export interface JobStateChanges {
  changes: JobStateChangedEvent[];
}

export interface RequestStateChanges {
  changes: RequestStateChangedEvent[];
}

export interface JobStateChangedEvent {
  jobId: string;
  requestId: string;
  fabUnitId: string;
  from: string | null;
  to: string;
  action: string;
  at: string;
}

export interface RequestStateChangedEvent {
  requestId: string;
  from: string | null;
  to: string;
  action: string;
  at: string;
}
