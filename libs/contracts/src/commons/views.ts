import type { Contributor, DesignVersionContent } from './design-version.js';

/** What commons answers the gateway. Plain data; the gateway documents each as an OpenAPI schema. */

export interface BuildCounts {
  /** Successful build reports (each counts once, whatever its quantity). */
  successful: number;
  failed: number;
  /** Units reported built successfully (sum of quantities). */
  unitsBuilt: number;
}

/** One row of a search answer: the design as its latest (highest semver) version describes it. */
export interface DesignSummary {
  id: string;
  slug: string;
  title: string;
  function: string;
  license: string;
  keywords: string[];
  processes: string[];
  materials: string[];
  latestVersion: string;
  latestVersionId: string;
  /** At least one successful build report on any version. */
  verified: boolean;
  builds: BuildCounts;
  endorsements: number;
  createdAt: string;
  updatedAt: string;
  /** Full-text relevance; only when the search had a text query. */
  rank?: number;
}

export interface DesignSearchPage {
  items: DesignSummary[];
  /** Opaque; pass it back as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
}

export interface VersionRef {
  designId: string;
  slug: string;
  designVersionId: string;
  version: string;
}

export interface VersionListItem {
  designVersionId: string;
  version: string;
  contentHash: string;
  publishedAt: string;
  verified: boolean;
  builds: BuildCounts;
  endorsements: number;
}

export interface DesignView extends DesignSummary {
  /** Account ids of the maintainers. */
  maintainers: string[];
  /** Highest semver first. */
  versions: VersionListItem[];
  forkedFrom: VersionRef | null;
}

export interface EndorsementView {
  id: string;
  designVersionId: string;
  kind: 'maintainer' | 'council';
  /** The endorsing account (maintainer) or council. */
  endorserId: string;
  note: string | null;
  createdAt: string;
}

export interface BuildReportView {
  id: string;
  designVersionId: string;
  fabUnitId: string;
  success: boolean;
  quantity: number;
  notes: string | null;
  photoUrl: string | null;
  source: 'http' | 'production';
  reportedAt: string;
}

export interface DesignVersionView {
  designVersionId: string;
  designId: string;
  slug: string;
  version: string;
  contentHash: string;
  content: DesignVersionContent;
  forkedFrom: VersionRef | null;
  publishedBy: string | null;
  publishedAt: string;
  verified: boolean;
  builds: BuildCounts;
  endorsements: EndorsementView[];
  /** Every licensor and contributor up the lineage, this version's first. */
  attribution: Contributor[];
}

export interface LineageNode extends VersionRef {
  title: string;
  license: string;
  /** 1 = the direct parent (ancestors) or a direct fork (descendants). */
  depth: number;
  /** For descendants: the version of the design above it that was forked. */
  forkOfVersionId?: string;
}

export interface LineageView {
  designId: string;
  slug: string;
  /** Nearest first: the version this design forked, its design's origin, and so on. */
  ancestors: LineageNode[];
  /** Every design forked from this one, directly or through forks of forks (breadth first). */
  descendants: LineageNode[];
}

export interface OkhImportResult {
  designId: string;
  slug: string;
  designVersionId: string;
  version: string;
  contentHash: string;
  warnings: string[];
  /** False when the same content was already in the commons: nothing was written. */
  created: boolean;
}

export interface OkhExport {
  fileName: string;
  toml: string;
}
