import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ContributorDto, DesignContentDto } from '#libs/contracts/src/commons/dto.js';
import type { DesignVersionContent } from '#libs/contracts/src/commons/design-version.js';
import type {
  BuildCounts,
  BuildReportView,
  DesignSearchPage,
  DesignSummary,
  DesignVersionView,
  DesignView,
  EndorsementView,
  LineageNode,
  LineageView,
  OkhImportResult,
  VersionListItem,
  VersionRef,
} from '#libs/contracts/src/commons/views.js';

/** The OpenAPI shapes of what the commons routes answer (the views of libs/contracts/src/commons). */

export class BuildCountsDto implements BuildCounts {
  @ApiProperty({ example: 3, description: 'Successful build reports' }) successful: number;
  @ApiProperty({ example: 1, description: 'Failed build reports' }) failed: number;
  @ApiProperty({ example: 12, description: 'Units built successfully (sum of quantities)' }) unitsBuilt: number;
}

export class DesignSummaryDto implements DesignSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'tube-clamp-22' }) slug: string;
  @ApiProperty({ example: 'Tube clamp 22 mm' }) title: string;
  @ApiProperty({ example: 'Clamps a 22 mm tube to a 2040 profile' }) function: string;
  @ApiProperty({ example: 'CERN-OHL-S-2.0' }) license: string;
  @ApiProperty({ type: [String] }) keywords: string[];
  @ApiProperty({ type: [String], example: ['3d-printing.fdm'], description: 'Processes the latest version requires' }) processes: string[];
  @ApiProperty({ type: [String], example: ['petg'] }) materials: string[];
  @ApiProperty({ example: '1.2.0', description: 'The highest published semver' }) latestVersion: string;
  @ApiProperty({ format: 'uuid' }) latestVersionId: string;
  @ApiProperty({ description: 'Verified manufacturable: at least one successful build report' }) verified: boolean;
  @ApiProperty({ type: BuildCountsDto }) builds: BuildCountsDto;
  @ApiProperty({ example: 2 }) endorsements: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiPropertyOptional({ example: 0.6079, description: 'Relevance, only for text queries' }) rank?: number;
}

export class DesignSearchPageDto implements DesignSearchPage {
  @ApiProperty({
    type: [DesignSummaryDto],
    description: 'Text queries: most relevant first (rank desc, id desc). Otherwise: newest first (created_at desc, id desc).',
  })
  items: DesignSummaryDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` with the same filters for the next page; null on the last page' })
  nextCursor: string | null;
}

export class VersionRefDto implements VersionRef {
  @ApiProperty({ format: 'uuid' }) designId: string;
  @ApiProperty() slug: string;
  @ApiProperty({ format: 'uuid' }) designVersionId: string;
  @ApiProperty({ example: '1.0.0' }) version: string;
}

export class VersionListItemDto implements VersionListItem {
  @ApiProperty({ format: 'uuid' }) designVersionId: string;
  @ApiProperty({ example: '1.0.0' }) version: string;
  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }) contentHash: string;
  @ApiProperty({ format: 'date-time' }) publishedAt: string;
  @ApiProperty() verified: boolean;
  @ApiProperty({ type: BuildCountsDto }) builds: BuildCountsDto;
  @ApiProperty() endorsements: number;
}

export class DesignViewDto extends DesignSummaryDto implements DesignView {
  @ApiProperty({ type: [String], description: 'Account ids' }) maintainers: string[];
  @ApiProperty({ type: [VersionListItemDto], description: 'Highest semver first' }) versions: VersionListItemDto[];
  @ApiProperty({ type: VersionRefDto, nullable: true, description: 'The version this design was forked from' }) forkedFrom: VersionRefDto | null;
}

export class EndorsementViewDto implements EndorsementView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) designVersionId: string;
  @ApiProperty({ enum: ['maintainer', 'council'] }) kind: 'maintainer' | 'council';
  @ApiProperty({ format: 'uuid', description: 'The endorsing account (maintainer) or council' }) endorserId: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class BuildReportViewDto implements BuildReportView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) designVersionId: string;
  @ApiProperty({ format: 'uuid' }) fabUnitId: string;
  @ApiProperty() success: boolean;
  @ApiProperty() quantity: number;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
  @ApiProperty({ type: String, nullable: true }) photoUrl: string | null;
  @ApiProperty({ enum: ['http', 'production'] }) source: 'http' | 'production';
  @ApiProperty({ format: 'date-time' }) reportedAt: string;
}

export class DesignVersionViewDto implements DesignVersionView {
  @ApiProperty({ format: 'uuid', description: 'What fabrication (GET /matches) and production refer to' }) designVersionId: string;
  @ApiProperty({ format: 'uuid' }) designId: string;
  @ApiProperty() slug: string;
  @ApiProperty({ example: '1.0.0' }) version: string;
  @ApiProperty({ description: 'SHA-256 of the normalised content' }) contentHash: string;
  @ApiProperty({ type: DesignContentDto, description: 'Normalised: canonical process/material/unit ids, SPDX license, sorted keywords' })
  content: DesignVersionContent;
  @ApiProperty({ type: VersionRefDto, nullable: true }) forkedFrom: VersionRefDto | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) publishedBy: string | null;
  @ApiProperty({ format: 'date-time' }) publishedAt: string;
  @ApiProperty() verified: boolean;
  @ApiProperty({ type: BuildCountsDto }) builds: BuildCountsDto;
  @ApiProperty({ type: [EndorsementViewDto] }) endorsements: EndorsementViewDto[];
  @ApiProperty({ type: [ContributorDto], description: 'Every licensor and contributor up the lineage, this version\'s first' })
  attribution: ContributorDto[];
}

export class LineageNodeDto extends VersionRefDto implements LineageNode {
  @ApiProperty() title: string;
  @ApiProperty() license: string;
  @ApiProperty({ example: 1 }) depth: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'Descendants: the version of the design above that was forked' }) forkOfVersionId?: string;
}

export class LineageViewDto implements LineageView {
  @ApiProperty({ format: 'uuid' }) designId: string;
  @ApiProperty() slug: string;
  @ApiProperty({ type: [LineageNodeDto], description: 'Nearest first' }) ancestors: LineageNodeDto[];
  @ApiProperty({ type: [LineageNodeDto], description: 'Forks, forks of forks …' }) descendants: LineageNodeDto[];
}

export class OkhImportResultDto implements OkhImportResult {
  @ApiProperty({ format: 'uuid' }) designId: string;
  @ApiProperty() slug: string;
  @ApiProperty({ format: 'uuid' }) designVersionId: string;
  @ApiProperty({ example: '2.5.0' }) version: string;
  @ApiProperty() contentHash: string;
  @ApiProperty({ type: [String], example: ['version: "2.5" is not semver; read as 2.5.0'] }) warnings: string[];
  @ApiProperty({ description: 'false (and 200) when the same content was already in the commons' }) created: boolean;
}
