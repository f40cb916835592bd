import type { DesignVersionContent } from '#libs/contracts/src/commons/design-version.js';
import type { BuildCounts, EndorsementView, LineageNode, VersionListItem } from '#libs/contracts/src/commons/views.js';
import type { SearchQuery } from './search-query.js';

/** The mutable head of a design: identity, and the search projection of its latest version. */
export interface DesignRecord {
  id: string;
  slug: string;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  latestVersionId: string;
  latestVersion: string;
  title: string;
  function: string;
  keywords: string[];
  license: string;
  processes: string[];
  materials: string[];
  successfulBuilds: number;
  failedBuilds: number;
  unitsBuilt: number;
  endorsements: number;
  verified: boolean;
}

/** A published version: never changes once written. */
export interface VersionRecord {
  id: string;
  designId: string;
  slug: string;
  version: string;
  content: DesignVersionContent;
  contentHash: string;
  repo: string | null;
  forkedFromVersionId: string | null;
  publishedBy: string | null;
  publishedAt: Date;
}

export interface NewVersion {
  id: string;
  designId: string;
  version: string;
  content: DesignVersionContent;
  contentHash: string;
  repo?: string | null;
  forkedFromVersionId?: string | null;
  publishedBy: string | null;
}

/** What the search columns of a design hold, taken from the version that is its head. */
export interface DesignHead {
  latestVersionId: string;
  latestVersion: string;
  title: string;
  function: string;
  keywords: string[];
  license: string;
  processes: string[];
  materials: string[];
}

export interface NewDesign {
  id: string;
  slug: string;
  createdBy: string | null;
  head: DesignHead;
  maintainers: string[];
}

export interface NewBuildReport {
  designVersionId: string;
  fabUnitId: string;
  success: boolean;
  quantity: number;
  notes: string | null;
  photoUrl: string | null;
  source: 'http' | 'production';
  sourceJobId: string | null;
  reportedBy: string | null;
  apiKeyId: string | null;
  reportedAt: Date | null;
}

/** A report of a completed production job, as production sent it. */
export interface ProductionBuildReport {
  sourceJobId: string;
  designVersionId: string;
  fabUnitId: string;
  success: boolean;
  quantity: number;
  notes: string | null;
  reportedAt: Date;
}

/** What became of each report of a batch, by source job id. */
export interface StoredProductionReports {
  stored: string[];
  /** Stored before (a redelivery): nothing written. */
  repeated: string[];
  /** Of a version the commons does not have: nothing written. */
  unknownVersion: { sourceJobId: string; designVersionId: string }[];
}

export interface BuildReportRecord extends Omit<NewBuildReport, 'reportedAt'> {
  id: string;
  reportedAt: Date;
}

export interface NewEndorsement {
  designVersionId: string;
  kind: 'maintainer' | 'council';
  endorserId: string;
  endorsedBy: string | null;
  note: string | null;
}

export interface SearchRow extends DesignRecord {
  /** Exact text of the rank (float4), so a cursor compares equal to what PostgreSQL computes. */
  rankText: string | null;
  /** created_at with microseconds, UTC, for the recency cursor. */
  createdAtKey: string;
}

export interface Lineage {
  ancestors: LineageNode[];
  descendants: LineageNode[];
}

export class SlugTakenError extends Error {
  constructor(readonly slug: string) {
    super(`slug ${slug} is taken`);
  }
}

export class VersionTakenError extends Error {
  constructor(readonly version: string) {
    super(`version ${version} exists`);
  }
}

export class SameContentError extends Error {
  constructor(readonly contentHash: string) {
    super(`content ${contentHash} is already a version of this design`);
  }
}

export class AlreadyEndorsedError extends Error {}

/**
 * Storage of the commons, as the use cases need it. `transaction` hands the work a store
 * bound to one PostgreSQL transaction; the repository itself is a store outside any.
 */
export interface DesignsStore {
  /** By id (uuid) or slug. `lock` takes the design's row lock until the transaction ends. */
  findDesign(ref: string, options?: { lock?: boolean }): Promise<DesignRecord | null>;
  /** A version of a design by semver, or its head for `latest`. */
  findVersion(designId: string, version: string): Promise<VersionRecord | null>;
  findVersionById(id: string): Promise<VersionRecord | null>;
  /** The oldest version anywhere in the commons with this content. */
  findVersionByHash(contentHash: string): Promise<VersionRecord | null>;
  /** Slugs equal to `base` or `base-<n>`. */
  slugsLike(base: string): Promise<Set<string>>;
  isMaintainer(designId: string, accountId: string): Promise<boolean>;
  maintainers(designId: string): Promise<string[]>;
  /** The fork origin of a design: the version its first version forked. */
  forkOrigin(designId: string): Promise<VersionRecord | null>;

  /** Throws SlugTakenError. */
  insertDesign(design: NewDesign, firstVersion: NewVersion): Promise<void>;
  /** Throws VersionTakenError, SameContentError. */
  insertVersion(version: NewVersion): Promise<void>;
  setHead(designId: string, head: DesignHead): Promise<void>;
  /** False when the account already was a maintainer. */
  addMaintainer(designId: string, accountId: string, addedBy: string | null): Promise<boolean>;
  /** Null when a report with the same sourceJobId was stored before (nothing written). */
  insertBuildReport(report: NewBuildReport): Promise<BuildReportRecord | null>;
  /**
   * Production's reports, all in one statement (one transaction): the known versions' reports
   * are stored, each once per sourceJobId; the others are left out, not refused.
   */
  insertProductionReports(reports: readonly ProductionBuildReport[]): Promise<StoredProductionReports>;
  /** Throws AlreadyEndorsedError. */
  insertEndorsement(endorsement: NewEndorsement): Promise<EndorsementView>;

  versionsOf(designId: string): Promise<VersionListItem[]>;
  buildCounts(designVersionId: string): Promise<BuildCounts>;
  endorsementsOf(designVersionId: string): Promise<EndorsementView[]>;
  /** The version and each fork origin above it, nearest first (for the attribution chain). */
  lineageUp(designVersionId: string): Promise<VersionRecord[]>;
  lineage(designId: string): Promise<Lineage>;
  search(query: SearchQuery): Promise<SearchRow[]>;

  /** Serialises imports of one content (until the transaction ends). */
  lockContent(contentHash: string): Promise<void>;
}

export interface DesignsRepository extends DesignsStore {
  transaction<T>(work: (store: DesignsStore) => Promise<T>): Promise<T>;
}

export const DESIGNS_REPOSITORY = Symbol('DESIGNS_REPOSITORY');
