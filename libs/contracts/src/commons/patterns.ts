/**
 * Gateway ↔ commons message patterns (request/response). Every request carries
 * `{ actor, data }`; `data` is the DTO class named beside each pattern (dto.ts), validated
 * again by the service, and the answer is the view named (views.ts).
 */
export const COMMONS_HTTP_PATTERNS = {
  /** CreateDesignDto → DesignVersionView (the design's first version). */
  designsCreate: 'commons.designs.create',
  /** SearchDesignsQueryDto → DesignSearchPage. */
  designsSearch: 'commons.designs.search',
  /** DesignRefMessage → DesignView. */
  designsGet: 'commons.designs.get',
  /** CreateVersionMessage → DesignVersionView. */
  versionsCreate: 'commons.versions.create',
  /** VersionRefMessage → DesignVersionView. */
  versionsGet: 'commons.versions.get',
  /** ForkDesignMessage → DesignVersionView (the fork's first version). */
  designsFork: 'commons.designs.fork',
  /** DesignRefMessage → LineageView. */
  designsLineage: 'commons.designs.lineage',
  /** AddMaintainerMessage → DesignView. */
  maintainersAdd: 'commons.maintainers.add',
  /** ImportOkhMessage → OkhImportResult. */
  okhImport: 'commons.okh.import',
  /** VersionRefMessage → OkhExport (the TOML text and a file name). */
  okhExport: 'commons.okh.export',
  /** CreateBuildReportMessage → BuildReportView. */
  buildReportsCreate: 'commons.build-reports.create',
  /** CreateEndorsementMessage → EndorsementView. */
  endorsementsCreate: 'commons.endorsements.create',
} as const;
