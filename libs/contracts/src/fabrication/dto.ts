import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { OptionalArrayOf, OptionalNested } from '../dto-decorators.js';
import type { BuildEnvelopeMm } from '../commons/design-version.js';
import {
  ACCESS_TYPES,
  type AccessType,
  FAB_UNIT_KINDS,
  FAB_UNIT_STATUSES,
  type FabUnitKind,
  type FabUnitStatus,
  MACHINE_STATUSES,
  type MachineStatus,
} from './fab-unit.js';
import type { MatchQuery, PlaceReservation } from './messages.js';
import type { Closure, OpeningSpan, WeeklySchedule } from './schedule.js';

/**
 * The DTO classes of the gateway ↔ fabrication contract, and of the patterns other services
 * call. The gateway validates HTTP input with them and the fabrication service validates the
 * same classes again on `@Payload('data')`. Process, material and unit names, time zones and
 * closure dates are checked against the taxonomy and luxon by the service (they need its pure
 * logic), not here.
 */

const FINITE = { allowNaN: false, allowInfinity: false } as const;
const ISO = { strict: true, strictSeparator: true } as const;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class EnvelopeDto implements BuildEnvelopeMm {
  @ApiProperty({ example: 250 }) @IsNumber(FINITE) @IsPositive() @Max(100_000) x: number;
  @ApiProperty({ example: 210 }) @IsNumber(FINITE) @IsPositive() @Max(100_000) y: number;
  @ApiProperty({ example: 220 }) @IsNumber(FINITE) @IsPositive() @Max(100_000) z: number;
}

export class OpeningSpanDto implements OpeningSpan {
  @ApiProperty({ example: '09:00' })
  @IsString()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'open must be a time HH:MM' })
  open: string;

  @ApiProperty({ example: '17:00', description: '24:00 is the end of the day; a close not after open runs past midnight' })
  @IsString()
  @Matches(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'close must be a time HH:MM (or 24:00)' })
  close: string;
}

const spans = () => OptionalArrayOf(OpeningSpanDto, 12);

/** Local wall-clock hours per weekday; a day left out is closed. */
export class WeeklyScheduleDto implements WeeklySchedule {
  @spans() mon?: OpeningSpanDto[];
  @spans() tue?: OpeningSpanDto[];
  @spans() wed?: OpeningSpanDto[];
  @spans() thu?: OpeningSpanDto[];
  @spans() fri?: OpeningSpanDto[];
  @spans() sat?: OpeningSpanDto[];
  @spans() sun?: OpeningSpanDto[];
}

export class ClosureDto implements Closure {
  @ApiProperty({ example: '2026-12-24', description: 'A date (whole local days) or a date-time' })
  @IsString()
  @Length(10, 40)
  from: string;

  @ApiProperty({ example: '2027-01-01', description: 'A date is inclusive (the last closed day); a date-time is exclusive' })
  @IsString()
  @Length(10, 40)
  to: string;

  @ApiPropertyOptional({ example: 'Winter break' }) @IsOptional() @IsString() @MaxLength(200) reason?: string;
}

export class LocationDto {
  @ApiPropertyOptional({ example: 52.52 }) @IsOptional() @IsNumber(FINITE) @Min(-90) @Max(90) lat?: number;
  @ApiPropertyOptional({ example: 13.405 }) @IsOptional() @IsNumber(FINITE) @Min(-180) @Max(180) lon?: number;
  @ApiPropertyOptional({ example: 'Prinzessinnenstraße 19' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(500) address?: string;
  @ApiPropertyOptional({ example: 'Berlin' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(200) city?: string;
  @ApiPropertyOptional({ example: 'Berlin' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(200) region?: string;

  @ApiPropertyOptional({ example: 'DE', description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @Transform(upper)
  @IsString()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as DE' })
  country?: string;

  @ApiPropertyOptional({ example: '10969' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(40) postcode?: string;
}

export class ContactDto {
  @ApiPropertyOptional({ example: 'Ada Lovelace' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ example: 'hello@fablab.example' }) @IsOptional() @IsEmail({}, { message: 'email must be an email address' }) email?: string;
  @ApiPropertyOptional({ example: '+49 30 1234567' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(60) phone?: string;
}

export class CreateMachineDto {
  @ApiProperty({ example: '3d-printing.fdm', description: 'A process id or alias of the taxonomy' })
  @IsString()
  @Length(1, 100)
  process: string;

  @ApiPropertyOptional({ example: 'Prusa' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(200) make?: string;
  @ApiPropertyOptional({ example: 'MK4' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(200) model?: string;

  @OptionalNested(EnvelopeDto, { description: 'Largest part, mm (z is the thickness for sheet processes)' })
  envelopeMm?: EnvelopeDto;

  @ApiPropertyOptional({ type: [String], example: ['pla', 'petg'], description: 'Material ids or aliases it works' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  materials?: string[];

  @ApiPropertyOptional({ enum: MACHINE_STATUSES, default: 'available' })
  @IsOptional()
  @IsIn(MACHINE_STATUSES)
  status?: MachineStatus;

  @OptionalNested(WeeklyScheduleDto, { description: "The machine's own weekly hours; absent = the unit's" })
  openingHours?: WeeklyScheduleDto;

  @ApiPropertyOptional({ example: 1, default: 1, description: 'Identical machines to register (each is booked on its own)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  quantity?: number;
}

/** Fields left out stay as they are; `envelopeMm: null` and `openingHours: null` clear them. */
export class UpdateMachineDto {
  @ApiPropertyOptional({ example: '3d-printing.fdm' }) @IsOptional() @IsString() @Length(1, 100) process?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(200) make?: string | null;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(200) model?: string | null;

  @OptionalNested(EnvelopeDto, { nullable: true })
  envelopeMm?: EnvelopeDto | null;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  materials?: string[];

  @ApiPropertyOptional({ enum: MACHINE_STATUSES }) @IsOptional() @IsIn(MACHINE_STATUSES) status?: MachineStatus;

  @OptionalNested(WeeklyScheduleDto, { nullable: true })
  openingHours?: WeeklyScheduleDto | null;
}

export class StockEntryDto {
  @ApiProperty({ example: 'pla', description: 'A material id or alias of the taxonomy' })
  @IsString()
  @Length(1, 100)
  material: string;

  @ApiProperty({ example: 12.5 }) @IsNumber(FINITE) @Min(0) @Max(1_000_000_000) quantity: number;
  @ApiProperty({ example: 'kg', description: 'A unit id or alias of the taxonomy' }) @IsString() @Length(1, 40) unit: string;
}

export class MaterialStockDto {
  @ApiProperty({ example: 12.5, description: 'On hand, in `unit`; must not fall below what reservations hold' })
  @IsNumber(FINITE)
  @Min(0)
  @Max(1_000_000_000)
  quantity: number;

  @ApiProperty({ example: 'kg', description: 'A unit id or alias of the taxonomy' })
  @IsString()
  @Length(1, 40)
  unit: string;
}

export class OpeningHoursDto {
  @ApiPropertyOptional({ example: 'Europe/Berlin', description: 'IANA zone; left out = unchanged' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  timezone?: string;

  @ApiProperty({ type: WeeklyScheduleDto })
  @ValidateNested()
  @Type(() => WeeklyScheduleDto)
  weekly: WeeklyScheduleDto;

  @OptionalArrayOf(ClosureDto, 200, { description: 'Replaces the closures; left out = none' })
  closures?: ClosureDto[];
}

class FabUnitFieldsDto {
  @ApiPropertyOptional({ enum: FAB_UNIT_KINDS, default: 'fablab' }) @IsOptional() @IsIn(FAB_UNIT_KINDS) kind?: FabUnitKind;
  @ApiPropertyOptional({ enum: FAB_UNIT_STATUSES, default: 'Active' }) @IsOptional() @IsIn(FAB_UNIT_STATUSES) status?: FabUnitStatus;
  @ApiPropertyOptional({ enum: ACCESS_TYPES }) @IsOptional() @IsIn(ACCESS_TYPES) accessType?: AccessType;

  @OptionalNested(LocationDto)
  location?: LocationDto;

  @ApiPropertyOptional({ example: 'https://fablab.example' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(2000) url?: string;

  @OptionalNested(ContactDto)
  contact?: ContactDto;

  @ApiPropertyOptional({ example: 'Europe/Berlin', description: 'IANA zone of the opening hours' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  timezone?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10_000) description?: string;
}

export class CreateFabUnitDto extends FabUnitFieldsDto {
  @ApiProperty({ example: 'Fab Lab Berlin' })
  @Transform(trim)
  @IsString()
  @Length(1, 300)
  name: string;

  @OptionalNested(WeeklyScheduleDto)
  openingHours?: WeeklyScheduleDto;

  @OptionalArrayOf(ClosureDto, 200)
  closures?: ClosureDto[];

  @OptionalArrayOf(CreateMachineDto, 500)
  machines?: CreateMachineDto[];

  @OptionalArrayOf(StockEntryDto, 500)
  materials?: StockEntryDto[];
}

/** Fields left out stay as they are; `location` replaces the whole location. */
export class UpdateFabUnitDto extends FabUnitFieldsDto {
  @ApiPropertyOptional({ example: 'Fab Lab Berlin' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 300)
  name?: string;
}

export class CreateReservationDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() machineId: string;
  @ApiProperty({ example: '2026-11-02T09:00:00Z' }) @IsISO8601(ISO) start: string;
  @ApiProperty({ example: '2026-11-02T12:00:00Z', description: 'Exclusive' }) @IsISO8601(ISO) end: string;
  @ApiPropertyOptional({ example: 'Nozzle change' }) @IsOptional() @IsString() @MaxLength(500) note?: string;
}

export class AddOperatorDto {
  @ApiProperty({ format: 'uuid', description: 'The account to make an operator of this unit' })
  @IsUUID()
  accountId: string;
}

export class ListFabUnitsQueryDto {
  @ApiPropertyOptional({ example: '52.52,13.405', description: 'lat,lon: nearest first, within radiusKm' })
  @IsOptional()
  @IsString()
  @Matches(/^\s*-?\d{1,3}(\.\d+)?\s*,\s*-?\d{1,3}(\.\d+)?\s*$/, { message: 'near must be "lat,lon" in decimal degrees' })
  near?: string;

  @ApiPropertyOptional({ example: 50, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber(FINITE)
  @IsPositive()
  @Max(20_000)
  radiusKm?: number;

  @ApiPropertyOptional({ example: 'DE' })
  @IsOptional()
  @Transform(upper)
  @IsString()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as DE' })
  country?: string;

  @ApiPropertyOptional({ example: '3d-printing', description: 'Units with a machine of this process or a sub-process' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  process?: string;

  @ApiPropertyOptional({ enum: FAB_UNIT_STATUSES }) @IsOptional() @IsIn(FAB_UNIT_STATUSES) status?: FabUnitStatus;

  @ApiPropertyOptional({ description: 'Only units with (true) or without (false) coordinates' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  locatable?: boolean;

  @ApiPropertyOptional({ description: 'From the previous page' }) @IsOptional() @IsString() @MaxLength(500) cursor?: string;

  @ApiPropertyOptional({ example: 50, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class CapacityQueryDto {
  @ApiProperty({ example: '2026-11-02T00:00:00Z' }) @IsISO8601(ISO) from: string;
  @ApiProperty({ example: '2026-11-16T00:00:00Z', description: 'Exclusive; at most 366 days after from' }) @IsISO8601(ISO) to: string;
}

export class ReservationsQueryDto {
  @ApiPropertyOptional({ example: '2026-11-02T00:00:00Z' }) @IsOptional() @IsISO8601(ISO) from?: string;
  @ApiPropertyOptional({ example: '2026-11-16T00:00:00Z' }) @IsOptional() @IsISO8601(ISO) to?: string;
}

/** GET /matches and FABRICATION_PATTERNS.matchesFind. */
export class MatchQueryDto implements MatchQuery {
  @ApiProperty({ format: 'uuid' }) @IsUUID() designVersionId: string;

  @ApiProperty({ example: 10 }) @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) quantity: number;
  @ApiProperty({ example: 50.63 }) @Type(() => Number) @IsNumber(FINITE) @Min(-90) @Max(90) lat: number;
  @ApiProperty({ example: 3.06 }) @Type(() => Number) @IsNumber(FINITE) @Min(-180) @Max(180) lon: number;
  @ApiProperty({ example: '2026-12-01T00:00:00Z', description: 'At most 366 days ahead' }) @IsISO8601(ISO) needBy: string;

  @ApiPropertyOptional({ example: 100, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber(FINITE)
  @Min(0)
  @Max(20_000)
  maxDistanceKm?: number;

  @ApiPropertyOptional({ type: [String], description: 'Only these units (a council pool, a direct request); comma-separated in a query string' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value))
  @IsArray()
  @ArrayMaxSize(5000)
  @IsUUID('all', { each: true })
  fabUnitIds?: string[];

  @ApiPropertyOptional({ example: 20, default: 20, description: 'Candidates returned (counts.matched says how many there are)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

// --- messages (gateway → fabrication, and other services) -------------------------------

export class FabUnitRefMessage {
  @IsUUID() fabUnitId: string;
}

export class UpdateFabUnitMessage {
  @IsUUID() fabUnitId: string;
  @ValidateNested() @Type(() => UpdateFabUnitDto) patch: UpdateFabUnitDto;
}

export class CreateMachineMessage {
  @IsUUID() fabUnitId: string;
  @ValidateNested() @Type(() => CreateMachineDto) machine: CreateMachineDto;
}

export class UpdateMachineMessage {
  @IsUUID() machineId: string;
  @ValidateNested() @Type(() => UpdateMachineDto) patch: UpdateMachineDto;
}

export class PutStockMessage {
  @IsUUID() fabUnitId: string;
  @IsString() @Length(1, 100) material: string;
  @ValidateNested() @Type(() => MaterialStockDto) stock: MaterialStockDto;
}

export class PutOpeningHoursMessage {
  @IsUUID() fabUnitId: string;
  @ValidateNested() @Type(() => OpeningHoursDto) hours: OpeningHoursDto;
}

export class CapacityMessage extends CapacityQueryDto {
  @IsUUID() fabUnitId: string;
}

/** FABRICATION_PATTERNS.capacityPool. */
export class CapacityPoolDto extends CapacityQueryDto {
  @IsArray() @ArrayMaxSize(5000) @IsUUID('all', { each: true }) fabUnitIds: string[];
}

/** FABRICATION_PATTERNS.fabUnitsSummary. */
export class FabUnitsSummaryDto {
  @IsArray() @ArrayMaxSize(5000) @IsUUID('all', { each: true }) ids: string[];
}

/** FABRICATION_PATTERNS.fabUnitsSetCouncil. */
export class SetCouncilMembershipDto {
  @IsUUID() fabUnitId: string;
  @IsUUID() councilId: string;
  @IsBoolean() member: boolean;
}

export class CreateReservationMessage {
  @IsUUID() fabUnitId: string;
  @ValidateNested() @Type(() => CreateReservationDto) reservation: CreateReservationDto;
}

export class ListReservationsMessage extends ReservationsQueryDto {
  @IsUUID() fabUnitId: string;
}

export class ReservationRefMessage {
  @IsUUID() fabUnitId: string;
  @IsUUID() reservationId: string;
}

export class OperatorMessage {
  @IsUUID() fabUnitId: string;
  @IsUUID() accountId: string;
}

export class ImportOkwMessage {
  /** The body as sent: OKW YAML or JSON, or the fablabs.io JSON array. */
  @IsString() @MaxLength(16 * 1024 * 1024) body: string;
  @IsString() @MaxLength(100) mediaType: string;
  @IsOptional() @IsString() @MaxLength(300) sourceName?: string;
}

/** FABRICATION_PATTERNS.reservationsPlace. */
export class PlaceReservationDto implements PlaceReservation {
  @IsString() @Length(1, 200) key: string;
  @IsUUID() fabUnitId: string;
  @IsOptional() @IsUUID() machineId?: string;
  @IsString() @Length(1, 100) process: string;
  @IsString() @Length(1, 100) material: string;
  @IsOptional() @ValidateNested() @Type(() => EnvelopeDto) envelopeMm?: EnvelopeDto;
  @IsInt() @Min(0) @Max(527_040) minutes: number;
  @IsNumber(FINITE) @Min(0) @Max(1_000_000_000) materialQuantity: number;
  @IsString() @Length(1, 40) materialUnit: string;
  @IsISO8601(ISO) notBefore: string;
  @IsISO8601(ISO) needBy: string;
  @IsOptional() @IsString() @Length(1, 200) designVersionId?: string;
}

