/**
 * Every BullMQ queue, its retries and its retention, in one place. Queue payloads carry ids
 * only: the PostgreSQL row is the truth, the queue entry is a reminder to act on it.
 * Keys are prefixed with the deployment's namespace (see QueuesModule).
 */
export const QUEUES = {
  /**
   * One line of work per fab unit: `fab-<fabUnitId>` (BullMQ refuses `:` in queue names, so
   * not `fab:<id>`; the Redis keys read `<namespace>:bull:fab-<id>:…`).
   */
  fabUnit: (fabUnitId: string) => `fab-${fabUnitId}`,
  /** Funded and unfunded round results, council → production. */
  allocations: 'production-allocations',
  /** Successful builds, production → commons. */
  buildReports: 'commons-build-reports',
  /** Reservation releases and material consumption, production → fabrication. */
  reservations: 'fabrication-reservations',
  /** Scheduled closes of allocation rounds (delayed jobs). */
  roundCloses: 'council-round-closes',
} as const;

/** Automated steps retry with exponential backoff: 1 s, 2 s, 4 s … up to 8 attempts. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  /** Completed entries stay a day (they also dedupe re-sends by jobId), then go. */
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  /** Failed entries stay a week for inspection in Bull Board. */
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/** A worker that stops renewing its lock this long is considered dead; its job is retried. */
export const WORKER_LOCK_MS = 30_000;
export const STALLED_INTERVAL_MS = 15_000;
