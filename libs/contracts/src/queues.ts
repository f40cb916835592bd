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

/**
 * The re-queue sweep (production): a live job whose queue entry is gone (Redis lost it, someone
 * removed it) or failed for good while its row still says work is owed gets a new entry. It runs
 * this often (ms), in one production process at a time (a PostgreSQL advisory lock).
 */
export const REQUEUE_SWEEP_INTERVAL_MS = 60_000;
/** Rows changed more recently than this (ms) are left alone: the relay and the workers are still at them. */
export const REQUEUE_MIN_AGE_MS = 60_000;
/**
 * A job is re-queued at most this many times; when its entry dies once more it is failed, the
 * reason in its transitions (a job no worker can finish must not loop forever).
 */
export const MAX_REQUEUES = 3;
