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
