import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsPositive,
  IsSemVer,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { OptionalArrayOf, OptionalNested } from '../dto-decorators.js';
import type {
  BomItem,
  BuildEnvelopeMm,
  Contributor,
  DesignLink,
  ManufacturingStep,
} from './design-version.js';
import { MAX_BUILD_REPORTS_PER_MESSAGE } from './messages.js';

/**
 * The DTO classes of the gateway ↔ commons contract. The gateway validates HTTP bodies with
 * them and the commons service validates the same classes again on `@Payload('data')`, so a
 * message from anywhere else meets the same rules. Names are checked against the taxonomy and
 * licenses against the SPDX list by commons (they need its pure logic), not here.
 */

const FINITE = { allowNaN: false, allowInfinity: false } as const;
/** Lower-case words joined by single hyphens, 1–80 characters. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MEDIA_TYPES_OKH = ['application/yaml', 'application/toml', 'application/json'] as const;
export type OkhManifestMediaType = (typeof MEDIA_TYPES_OKH)[number];

export class BuildEnvelopeDto implements BuildEnvelopeMm {
  @ApiProperty({ example: 180 }) @IsNumber(FINITE) @IsPositive() @Max(100_000) x: number;
  @ApiProperty({ example: 180 }) @IsNumber(FINITE) @IsPositive() @Max(100_000) y: number;
  @ApiProperty({ example: 120 }) @IsNumber(FINITE) @IsPositive() @Max(100_000) z: number;
}

export class ManufacturingStepDto implements ManufacturingStep {
  @ApiProperty({ example: '3d-printing.fdm', description: 'A process id or alias of the taxonomy (GET the ids from libs/taxonomy)' })
  @IsString()
  @Length(1, 100)
  process: string;

  @ApiProperty({ example: 'pla', description: 'A material id or alias of the taxonomy' })
  @IsString()
  @Length(1, 100)
  material: string;

  @OptionalNested(BuildEnvelopeDto, { description: 'Minimum build envelope, mm' })
  envelopeMm?: BuildEnvelopeDto;

  @ApiPropertyOptional({ example: 'ISO 2768-m' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  tolerance?: string;

  @ApiProperty({ example: 95 })
  @IsNumber(FINITE)
  @Min(0)
  @Max(1_000_000)
  machineMinutesPerUnit: number;

  @ApiProperty({ example: 42.5 })
  @IsNumber(FINITE)
  @Min(0)
  @Max(1_000_000_000)
  materialQuantityPerUnit: number;

  @ApiProperty({ example: 'g', description: 'A unit id or alias of the taxonomy' })
  @IsString()
  @Length(1, 40)
  materialUnit: string;
}

export class BomItemDto implements BomItem {
  @ApiProperty({ example: 'M3x8 screw' }) @IsString() @Length(1, 300) item: string;
  @ApiProperty({ example: 4 }) @IsNumber(FINITE) @Min(0) @Max(1_000_000_000) quantity: number;
  @ApiPropertyOptional({ example: 'steel' }) @IsOptional() @IsString() @MaxLength(100) material?: string;
  @ApiPropertyOptional({ example: 'pcs' }) @IsOptional() @IsString() @MaxLength(40) unit?: string;
}

export class DesignLinkDto implements DesignLink {
  @ApiProperty({ example: 'source', description: 'source, documentation, bom, image, file, …' })
  @IsString()
  @Length(1, 40)
  kind: string;

  @ApiProperty({ example: 'https://codeberg.org/example/clamp' })
  @IsString()
  @Length(1, 2000)
  url: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) title?: string;
}

export class ContributorDto implements Contributor {
  @ApiProperty({ example: 'Ada Lovelace' }) @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional({ example: 'ada@example.org' }) @IsOptional() @IsString() @MaxLength(320) email?: string;
  @ApiPropertyOptional({ example: '@ada' }) @IsOptional() @IsString() @MaxLength(100) handle?: string;
  @ApiPropertyOptional({ example: 'design' }) @IsOptional() @IsString() @MaxLength(100) role?: string;
  @ApiPropertyOptional({ example: 'Analytical Engines Ltd' }) @IsOptional() @IsString() @MaxLength(200) affiliation?: string;
}

/** The content of a version, as typed in. Arrays may be left out (empty). */
export class DesignContentDto {
  @ApiProperty({ example: 'Tube clamp 22 mm' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiProperty({ example: 'Clamps a 22 mm tube to a 2040 aluminium profile', description: 'What it does' })
  @IsString()
  @MaxLength(10_000)
  function: string;

  @ApiProperty({ example: 'CERN-OHL-S-2.0', description: 'An open SPDX license expression (known names are normalised)' })
  @IsString()
  @Length(1, 200)
  license: string;

  @OptionalArrayOf(ContributorDto, 200)
  licensors?: ContributorDto[];

  @OptionalArrayOf(ContributorDto, 500)
  contributors?: ContributorDto[];

  @ApiPropertyOptional({ type: [String], example: ['clamp', 'tube'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 80, { each: true })
  keywords?: string[];

  @OptionalArrayOf(BomItemDto, 1000)
  bom?: BomItemDto[];

  @OptionalArrayOf(DesignLinkDto, 500)
  links?: DesignLinkDto[];

  @OptionalArrayOf(ManufacturingStepDto, 200, { description: 'Manufacturing requirements, in order' })
  requirements?: ManufacturingStepDto[];

  @ApiPropertyOptional({ type: Object, description: 'Free-form metadata kept with the version' })
  @IsOptional()
  @IsObject()
  extra?: Record<string, unknown>;
}

export class CreateDesignDto extends DesignContentDto {
  @ApiPropertyOptional({ example: 'tube-clamp-22', description: 'Derived from the title when absent' })
  @IsOptional()
  @IsString()
  @Length(1, 80)
  @Matches(SLUG_PATTERN, { message: 'slug must be lower-case letters and digits joined by single hyphens' })
  slug?: string;

  @ApiPropertyOptional({ example: '1.0.0', description: 'Semantic version of the first version (default 1.0.0)' })
  @IsOptional()
  @IsString()
  @IsSemVer()
  @MaxLength(100)
  version?: string;
}

export class CreateVersionDto extends DesignContentDto {
  @ApiProperty({ example: '1.1.0', description: 'Semantic version; unique within the design' })
  @IsString()
  @IsSemVer()
  @MaxLength(100)
  version: string;
}

/**
 * A fork starts as a copy of the parent version; what the body names replaces it. Its license
 * must be one the parent's license allows (share-alike), which commons checks.
 */
export class ForkDesignDto extends PartialType(DesignContentDto) {
  @ApiPropertyOptional({ example: '1.0.0', description: 'The parent version to fork; the latest when absent' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  version?: string;

  @ApiPropertyOptional({ example: '1.0.0', description: "The fork's first version (default 1.0.0)" })
  @IsOptional()
  @IsString()
  @IsSemVer()
  @MaxLength(100)
  initialVersion?: string;

  @ApiPropertyOptional({ example: 'tube-clamp-25' })
  @IsOptional()
  @IsString()
  @Length(1, 80)
  @Matches(SLUG_PATTERN, { message: 'slug must be lower-case letters and digits joined by single hyphens' })
  slug?: string;
}

export class AddMaintainerDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The account to add (or give its email)' })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @ApiPropertyOptional({ example: 'ada@example.org', description: 'The email of the account to add (or give its id)' })
  @IsOptional()
  @IsString()
  @Length(3, 320)
  email?: string;
}

export class CreateBuildReportDto {
  @ApiProperty({ format: 'uuid', description: 'The fab unit that built it; you must be one of its operators' })
  @IsUUID()
  fabUnitId: string;

  @ApiProperty({ example: true }) @IsBoolean() success: boolean;

  @ApiProperty({ example: 2, description: 'Units built (or attempted, for a failure)' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity: number;

  @ApiPropertyOptional({ example: 'Printed at 0.2 mm layers, no supports' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  notes?: string;

  @ApiPropertyOptional({ example: 'https://example.org/photos/clamp.jpg' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'photoUrl must be an http(s) URL' })
  photoUrl?: string;
}

export class CreateEndorsementDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Endorse on behalf of this council (you must be one of its admins); absent: as a maintainer' })
  @IsOptional()
  @IsUUID()
  councilId?: string;

  @ApiPropertyOptional({ example: 'Built and used in three labs of the council' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class SearchDesignsQueryDto {
  @ApiPropertyOptional({ example: 'tube clamp', description: 'Full text: title weighs most, then function, then keywords' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ example: '3d-printing', description: 'Requires this process or one of its sub-processes' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  process?: string;

  @ApiPropertyOptional({ example: 'pla' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  material?: string;

  @ApiPropertyOptional({ example: 'CERN-OHL-S-2.0', description: 'Exactly this license (SPDX; known names are normalised)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  license?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'true: only designs with at least one successful build report' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  verified?: boolean;

  @ApiPropertyOptional({ description: 'From the previous page\'s nextCursor' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  cursor?: string;

  @ApiPropertyOptional({ example: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

// ---- transport messages (the gateway wraps route parameters and bodies in these) ----

/** A design by id (uuid) or slug. */
export class DesignRefMessage {
  @IsString() @Length(1, 100) design: string;
}

/** A version by semver, or `latest`. */
export class VersionRefMessage extends DesignRefMessage {
  @IsString() @Length(1, 100) version: string;
}

export class CreateVersionMessage extends DesignRefMessage {
  @IsObject() @ValidateNested() @Type(() => CreateVersionDto) body: CreateVersionDto;
}

export class ForkDesignMessage extends DesignRefMessage {
  @IsObject() @ValidateNested() @Type(() => ForkDesignDto) body: ForkDesignDto;
}

export class AddMaintainerMessage extends DesignRefMessage {
  @IsUUID() accountId: string;
}

export class CreateBuildReportMessage extends VersionRefMessage {
  @IsObject() @ValidateNested() @Type(() => CreateBuildReportDto) body: CreateBuildReportDto;
}

export class CreateEndorsementMessage extends VersionRefMessage {
  @IsObject() @ValidateNested() @Type(() => CreateEndorsementDto) body: CreateEndorsementDto;
}

export class ImportOkhMessage {
  @IsIn(MEDIA_TYPES_OKH) mediaType: OkhManifestMediaType;
  /** The manifest as sent (JSON re-serialised by the gateway). */
  @IsString() @MaxLength(16 * 1024 * 1024) manifest: string;
}

export class VersionForManufacturingMessage {
  @IsUUID() designVersionId: string;
}


/** Validates a BuildReportMessage taken from QUEUES.buildReports (sent by production). */
export class BuildReportMessageDto {
  @IsString() @Length(1, 200) sourceJobId: string;
  @IsUUID() designVersionId: string;
  @IsUUID() fabUnitId: string;
  @IsBoolean() success: boolean;
  @IsInt() @Min(1) @Max(1_000_000) quantity: number;
  @IsOptional() @IsString() @MaxLength(4000) notes?: string;
  @IsISO8601({ strict: true }) reportedAt: string;
}

/** Validates a BuildReportsMessage taken from QUEUES.buildReports: every report as above. */
export class BuildReportsMessageDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BUILD_REPORTS_PER_MESSAGE)
  @ValidateNested({ each: true })
  @Type(() => BuildReportMessageDto)
  reports: BuildReportMessageDto[];
}
