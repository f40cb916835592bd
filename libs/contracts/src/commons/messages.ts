import type { Contributor, ManufacturingStep } from './design-version.js';

/**
 * What other services ask of commons over the transport (reads), and what they send it
 * through BullMQ (work that must not be lost). The gateway↔commons patterns live beside.
 */
export const COMMONS_PATTERNS = {
  /** `{ designVersionId }` → DesignVersionForManufacturing. Versions are immutable: cache freely. */
  versionForManufacturing: 'commons.version.for-manufacturing',
} as const;

export interface DesignVersionForManufacturing {
  designVersionId: string;
  designId: string;
  slug: string;
  version: string;
  contentHash: string;
  title: string;
  license: string;
  requirements: ManufacturingStep[];
  /** Every contributor up the lineage, this version's first (the attribution chain). */
  attribution: Contributor[];
}

/** Sent on QUEUES.buildReports when a production job completes; `sourceJobId` makes it idempotent. */
export interface BuildReportMessage {
  sourceJobId: string;
  designVersionId: string;
  fabUnitId: string;
  success: boolean;
  quantity: number;
  notes?: string;
  reportedAt: string;
}

/** BullMQ job names on QUEUES.buildReports: the name tells commons which form the payload has. */
export const BUILD_REPORT_JOBS = {
  /** A BuildReportMessage (what production sent before batches; may still be in an outbox or in Redis). */
  single: 'build-report',
  /** A BuildReportsMessage. */
  batch: 'build-reports',
} as const;

/** Production splits larger batches: one message stays a small queue entry and one short commons transaction. */
export const MAX_BUILD_REPORTS_PER_MESSAGE = 500;

/**
 * Sent on QUEUES.buildReports (job name BUILD_REPORT_JOBS.batch) with the reports of the jobs one
 * production transaction completed: one queue entry for a connector's whole batch, not one per job.
 * Each report stays idempotent by its `sourceJobId`.
 */
export interface BuildReportsMessage {
  reports: BuildReportMessage[];
}
