import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { JOB_HTTP_ACTIONS, JOB_STATES, type JobHttpAction, type JobState, REQUEST_MODES, type RequestMode } from './states.js';

/**
 * The DTO classes of the gateway ↔ production contract and of the council's calls. The
 * gateway validates HTTP input with them; the production service validates the same classes
 * again on `@Payload('data')`.
 */
const FINITE = { allowNaN: false, allowInfinity: false } as const;
const ISO = { strict: true, strictSeparator: true } as const;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class DeliveryLocationDto {
  @ApiProperty({ example: 52.52, description: 'WGS 84 latitude' })
  @IsNumber(FINITE)
  @Min(-90)
  @Max(90)
  lat: number;

  @ApiProperty({ example: 13.405, description: 'WGS 84 longitude' })
  @IsNumber(FINITE)
  @Min(-180)
  @Max(180)
  lon: number;
}

export class CreateProductionRequestDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  designVersionId: string;

  @ApiProperty({ example: 20, minimum: 1, maximum: 100000 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  quantity: number;

  @ApiProperty({ type: DeliveryLocationDto })
  @IsObject()
  @ValidateNested()
  @Type(() => DeliveryLocationDto)
  delivery: DeliveryLocationDto;

  @ApiProperty({ example: '2026-12-01T00:00:00Z', description: 'Delivered by (ISO 8601 with a zone)' })
  @IsISO8601(ISO)
  @Matches(/(Z|[+-]\d\d:?\d\d)$/, { message: 'needBy must name its time zone (Z or ±hh:mm)' })
  needBy: string;

  @ApiProperty({ example: 'Replacement valve handles for the community water pump', description: 'Why it matters; councils read it' })
  @Transform(trim)
  @IsString()
  @Length(1, 2000)
  purpose: string;

  @ApiPropertyOptional({ enum: REQUEST_MODES, default: 'pooled', description: 'pooled: a council allocates it; direct: the named unit makes it on its own capacity' })
  @IsOptional()
  @IsIn(REQUEST_MODES)
  mode?: RequestMode;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required when mode is direct; refused otherwise' })
  @ValidateIf((o: CreateProductionRequestDto) => o.mode === 'direct' || o.fabUnitId !== undefined)
  @IsUUID(undefined, { message: 'fabUnitId must be the UUID of the fab unit (required for a direct request)' })
  fabUnitId?: string;
}

export class CreateRequestMessage {
  @IsString()
  @Length(1, 200)
  @Matches(/^[\x21-\x7e]+$/, { message: 'idempotencyKey must be 1–200 visible ASCII characters' })
  idempotencyKey: string;

  @IsObject()
  @ValidateNested()
  @Type(() => CreateProductionRequestDto)
  request: CreateProductionRequestDto;
}

export class RequestRefMessage {
  @IsUUID() id: string;
}

export class JobRefMessage {
  @IsUUID() id: string;
}

export class ListUnitJobsQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATES })
  @IsOptional()
  @IsIn(JOB_STATES)
  state?: JobState;
}

export class ListUnitJobsMessage extends ListUnitJobsQueryDto {
  @IsUUID() fabUnitId: string;
}

export class FabUnitJobsRefMessage {
  @IsUUID() fabUnitId: string;
}

/** Body of accept and start (nothing to say). */
export class EmptyBodyDto {}

export class DeclineJobDto {
  @ApiPropertyOptional({ example: 'The printer is down for maintenance this week' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class ProgressJobDto {
  @ApiProperty({ example: 40, minimum: 0, maximum: 100 })
  @IsInt()
  @Min(0)
  @Max(100)
  percent: number;

  @ApiPropertyOptional({ example: 'layer 120 of 300' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class CompleteJobDto {
  @ApiPropertyOptional({ example: 'Printed in PLA, 0.2 mm layers' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class FailJobDto {
  @ApiProperty({ example: 'Warped beyond tolerance' })
  @Transform(trim)
  @IsString()
  @Length(1, 1000)
  reason: string;
}

export class JobActionMessage {
  @IsUUID() id: string;

  @IsIn(JOB_HTTP_ACTIONS) action: JobHttpAction;

  @IsOptional() @IsInt() @Min(0) @Max(100) percent?: number;
  @IsOptional() @IsString() @MaxLength(1000) note?: string;
  @IsOptional() @IsString() @MaxLength(2000) notes?: string;
  @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

/** PRODUCTION_PATTERNS.requestsForAllocation */
export class RequestsForAllocationMessage {
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsUUID(undefined, { each: true })
  ids: string[];
}

/** PRODUCTION_PATTERNS.requestsOutcomes */
export class RequestOutcomesMessage {
  @IsUUID() roundId: string;

  @IsArray()
  @ArrayMaxSize(10_000)
  @IsUUID(undefined, { each: true })
  ids: string[];
}

/** PRODUCTION_PATTERNS.requestsEnterAllocation */
export class EnterAllocationMessage {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @IsUUID(undefined, { each: true })
  requestIds: string[];

  @IsUUID() roundId: string;
}
