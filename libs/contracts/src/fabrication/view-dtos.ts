import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import {
  ACCESS_TYPES,
  type AccessType,
  FAB_UNIT_KINDS,
  FAB_UNIT_STATUSES,
  type FabUnitKind,
  type FabUnitSource,
  type FabUnitStatus,
  type GeoPoint,
  MACHINE_STATUSES,
  type MachineStatus,
} from './fab-unit.js';
import { ClosureDto, ContactDto, EnvelopeDto, LocationDto, WeeklyScheduleDto } from './dto.js';
import {
  type CostVector,
  EXCLUSION_RULES,
  type ExclusionRule,
  type MatchCandidate,
  type MatchExclusion,
  type MatchResult,
  type MaterialQuantity,
  type SplitPart,
  type SplitPlan,
  type StepAssignment,
} from './matching.js';
import type { TimeSlot } from './schedule.js';
import type {
  CapacityView,
  FabUnitListItem,
  FabUnitPage,
  FabUnitView,
  MachineCapacity,
  MachineView,
  MaterialStockView,
  OkwImportSummary,
  OpeningHoursView,
  OperatorsView,
  ReservationView,
} from './views.js';

/**
 * The OpenAPI shapes of what the fabrication routes answer: each class implements its view in
 * views.ts or matching.ts, so the compiler keeps the documented fields and the answered ones
 * together. The nested shapes that HTTP input shares (hours, closures, envelope, location,
 * contact) reuse the input DTOs: one schema per shape in /docs-json.
 */

const DATE_TIME = { type: String, format: 'date-time' } as const;
const UUID = { type: String, format: 'uuid' } as const;

export class MaterialQuantityDto implements MaterialQuantity {
  @ApiProperty({ example: 400 }) quantity: number;
  @ApiProperty({ example: 'g', description: 'Canonical unit id of the taxonomy' }) unit: string;
}

/** `Record<process, minutes>` and `Record<material, quantity>` as OpenAPI maps. */
const MINUTES_BY_PROCESS = {
  type: 'object',
  additionalProperties: { type: 'integer' },
  example: { '3d-printing.fdm': 225, 'laser-cutting': 100 },
} as const;
const MATERIALS_BY_ID = {
  type: 'object',
  additionalProperties: { $ref: getSchemaPath(MaterialQuantityDto) },
  example: { pla: { quantity: 400, unit: 'g' }, plywood: { quantity: 1, unit: 'm2' } },
} as const;

@ApiExtraModels(MaterialQuantityDto)
export class CostVectorDto implements CostVector {
  @ApiProperty({ ...MINUTES_BY_PROCESS, description: 'Whole machine minutes per canonical process id' })
  machineMinutes: Record<string, number>;

  @ApiProperty({ ...MATERIALS_BY_ID, description: 'Material consumed per canonical material id' })
  materials: Record<string, MaterialQuantityDto>;
}

export class GeoPointDto implements GeoPoint {
  @ApiProperty({ example: 52.52, description: 'WGS 84 decimal degrees' }) lat: number;
  @ApiProperty({ example: 13.405 }) lon: number;
}

export class TimeSlotDto implements TimeSlot {
  @ApiProperty(DATE_TIME) start: string;
  @ApiProperty({ ...DATE_TIME, description: 'Exclusive' }) end: string;
}

export class StepAssignmentDto implements StepAssignment {
  @ApiProperty({ example: 0, description: "Index into the design version's requirements" }) stepIndex: number;
  @ApiProperty({ example: '3d-printing', description: 'The process the design requires' }) process: string;
  @ApiProperty({ example: 'pla' }) material: string;
  @ApiProperty(UUID) machineId: string;
  @ApiProperty({ example: '3d-printing.fdm', description: "The machine's own process: the required one or a sub-process" }) machineProcess: string;
  @ApiPropertyOptional({ example: 'Prusa' }) make?: string;
  @ApiPropertyOptional({ example: 'MK4' }) model?: string;
  @ApiProperty({ example: 225, description: 'Whole minutes of machine time for the whole quantity' }) minutes: number;
  @ApiProperty({ type: [TimeSlotDto], description: 'Open, unreserved periods the job runs in; it pauses when the unit closes' })
  slots: TimeSlotDto[];
  @ApiProperty(DATE_TIME) start: string;
  @ApiProperty(DATE_TIME) completion: string;
}

export class MatchCandidateDto implements MatchCandidate {
  @ApiProperty({ enum: [false], description: 'Always false: one unit does every step' }) split: false;
  @ApiProperty(UUID) unitId: string;
  @ApiProperty({ example: 'Fab Lab Berlin' }) unitName: string;
  @ApiProperty({ example: 3.2 }) distanceKm: number;
  @ApiProperty({ ...DATE_TIME, description: 'When the last step completes' }) completion: string;
  @ApiProperty({ example: 2, description: 'Successful builds of this design version at this unit (a tie-break)' }) successfulBuilds: number;
  @ApiProperty({ type: [StepAssignmentDto], description: "In the design's step order; each starts after the previous one completes" })
  steps: StepAssignmentDto[];
  @ApiProperty({ type: CostVectorDto, description: "Keyed by the chosen machines' processes: the capacity actually consumed" })
  cost: CostVectorDto;
}

export class MatchExclusionDto implements MatchExclusion {
  @ApiProperty(UUID) unitId: string;
  @ApiProperty({ example: 'Makerspace Nord' }) unitName: string;
  @ApiProperty({ type: Number, nullable: true, example: 7.9, description: 'Null when the unit has no coordinates' }) distanceKm: number | null;
  @ApiProperty({ enum: EXCLUSION_RULES, description: 'The first hard rule that failed, in the order they are checked' }) rule: ExclusionRule;
  @ApiPropertyOptional({ example: 0, description: 'The step that failed, for the per-step rules' }) stepIndex?: number;
  @ApiProperty({ example: 'PLA stock 200 g < 1,200 g needed' }) reason: string;
}

export class SplitPartDto implements SplitPart {
  @ApiProperty(UUID) unitId: string;
  @ApiProperty({ example: 'Fab Lab Berlin' }) unitName: string;
  @ApiProperty({ example: 3.2 }) distanceKm: number;
  @ApiProperty({ type: [StepAssignmentDto] }) steps: StepAssignmentDto[];
}

export class SplitPlanDto implements SplitPlan {
  @ApiProperty({ enum: [true], description: 'Always true: the steps are shared among units' }) split: true;
  @ApiProperty({ type: [SplitPartDto], description: 'Ordered by the first step each unit does' }) parts: SplitPartDto[];
  @ApiProperty(DATE_TIME) completion: string;
  @ApiProperty({ example: 11.4, description: 'Sum of the distances of the units involved' }) totalDistanceKm: number;
  @ApiProperty({ type: CostVectorDto }) cost: CostVectorDto;
}

type MatchCounts = MatchResult['counts'];

export class MatchCountsDto implements MatchCounts {
  @ApiProperty({ example: 40, description: 'Units the engine was given' }) units: number;
  @ApiProperty({ example: 6 }) matched: number;
  @ApiProperty({ example: 34 }) excluded: number;
  @ApiProperty({ example: 10, description: 'Exclusions listed (the nearest N excluded units)' }) explained: number;
}

export class MatchResultDto implements MatchResult {
  @ApiProperty({ example: 5 }) quantity: number;
  @ApiProperty(DATE_TIME) needBy: string;
  @ApiProperty({ type: GeoPointDto }) location: GeoPointDto;
  @ApiProperty({ example: 100 }) maxDistanceKm: number;
  @ApiProperty({ type: CostVectorDto, description: "The request's own cost vector, keyed by the required processes" })
  demand: CostVectorDto;
  @ApiProperty({ type: [MatchCandidateDto], description: 'Ranked: earliest completion, then distance, then successful builds, then unit id' })
  candidates: MatchCandidateDto[];
  @ApiProperty({ type: [SplitPlanDto], description: 'Only when no single unit can do every step; by completion, then total distance' })
  splitPlans: SplitPlanDto[];
  @ApiProperty({ type: [MatchExclusionDto], description: 'Why the nearest excluded units were left out, nearest first' })
  exclusions: MatchExclusionDto[];
  @ApiProperty({ type: MatchCountsDto }) counts: MatchCountsDto;
}

// --- fab units ----------------------------------------------------------------------------

export class MachineViewDto implements MachineView {
  @ApiProperty(UUID) id: string;
  @ApiProperty(UUID) fabUnitId: string;
  @ApiProperty({ example: '3d-printing.fdm', description: 'Canonical process id of the taxonomy' }) process: string;
  @ApiPropertyOptional({ example: 'Prusa' }) make?: string;
  @ApiPropertyOptional({ example: 'MK4' }) model?: string;
  @ApiPropertyOptional({ type: EnvelopeDto, description: 'Largest part, mm (z is the thickness for sheet processes)' }) envelopeMm?: EnvelopeDto;
  @ApiProperty({ type: [String], example: ['pla', 'petg'] }) materials: string[];
  @ApiProperty({ enum: MACHINE_STATUSES }) status: MachineStatus;
  @ApiProperty({ type: WeeklyScheduleDto, nullable: true, description: "The machine's own weekly hours; null = the unit's" })
  openingHours: WeeklyScheduleDto | null;
}

export class MaterialStockViewDto implements MaterialStockView {
  @ApiProperty({ example: 'pla' }) material: string;
  @ApiProperty({ type: Number, nullable: true, example: 2500, description: 'Null when the unit only says it uses the material' })
  quantity: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'g' }) unit: string | null;
  @ApiProperty({ example: 400, description: 'Held by reservations of jobs not yet ended' }) held: number;
  @ApiProperty({ type: Number, nullable: true, example: 2100, description: 'quantity − held; null when quantity is' }) free: number | null;
}

export class FabUnitSourceDto implements FabUnitSource {
  @ApiProperty({ example: 'fablabs.io', description: '`okw`, `fablabs.io`, `cosmolocal`, or the system an import came from' }) system: string;
  @ApiPropertyOptional({ description: "The record's id in that system" }) id?: string;
}

export class FabUnitViewDto implements FabUnitView {
  @ApiProperty(UUID) id: string;
  @ApiProperty({ example: 'Fab Lab Berlin' }) name: string;
  @ApiProperty({ enum: FAB_UNIT_KINDS }) kind: FabUnitKind;
  @ApiProperty({ enum: FAB_UNIT_STATUSES, description: 'Only Active units are matched' }) status: FabUnitStatus;
  @ApiPropertyOptional({ enum: ACCESS_TYPES }) accessType?: AccessType;
  @ApiProperty({ type: LocationDto }) location: LocationDto;
  @ApiProperty({ description: 'False: no coordinates; kept and listed, never matched by distance' }) locatable: boolean;
  @ApiPropertyOptional({ example: 'https://fablab.example' }) url?: string;
  @ApiProperty({ type: ContactDto }) contact: ContactDto;
  @ApiProperty({ type: String, nullable: true, example: 'Europe/Berlin', description: 'IANA zone of the hours; null = not stated (UTC)' })
  timezone: string | null;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ type: WeeklyScheduleDto, nullable: true, description: 'Null: no hours declared, so no machine time is offered' })
  openingHours: WeeklyScheduleDto | null;
  @ApiProperty({ type: [ClosureDto] }) closures: ClosureDto[];
  @ApiProperty({ type: [MachineViewDto] }) machines: MachineViewDto[];
  @ApiProperty({ type: [MaterialStockViewDto] }) materials: MaterialStockViewDto[];
  @ApiProperty({ type: [String], format: 'uuid', description: 'Account ids of the operators' }) operators: string[];
  @ApiProperty({ type: [String], format: 'uuid', description: 'Councils the unit pools its capacity into' }) councils: string[];
  @ApiProperty({ type: FabUnitSourceDto }) source: FabUnitSourceDto;
  @ApiProperty(DATE_TIME) createdAt: string;
  @ApiProperty(DATE_TIME) updatedAt: string;
}

export class FabUnitListItemDto implements FabUnitListItem {
  @ApiProperty(UUID) id: string;
  @ApiProperty({ example: 'Fab Lab Berlin' }) name: string;
  @ApiProperty({ enum: FAB_UNIT_KINDS }) kind: FabUnitKind;
  @ApiProperty({ enum: FAB_UNIT_STATUSES }) status: FabUnitStatus;
  @ApiProperty({ type: LocationDto }) location: LocationDto;
  @ApiProperty() locatable: boolean;
  @ApiPropertyOptional() url?: string;
  @ApiProperty({ type: String, nullable: true, example: 'Europe/Berlin' }) timezone: string | null;
  @ApiProperty({ type: [String], example: ['3d-printing.fdm', 'laser-cutting'], description: 'Distinct processes of its machines' })
  processes: string[];
  @ApiPropertyOptional({ example: 3.2, description: 'Great-circle distance from `near`, when the query had one' }) distanceKm?: number;
}

export class FabUnitPageDto implements FabUnitPage {
  @ApiProperty({ type: [FabUnitListItemDto] }) items: FabUnitListItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass it back as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}

export class OkwImportSummaryDto implements OkwImportSummary {
  @ApiProperty({ example: 2237, description: 'Records found in the body' }) records: number;
  @ApiProperty({ example: 2237, description: 'Units inserted' }) created: number;
  @ApiProperty({ example: 0, description: 'Records folded into another record of the same name and url in the body' }) merged: number;
  @ApiProperty({ example: 0, description: 'Existing units (same name and url) that gained information' }) updated: number;
  @ApiProperty({ example: 0, description: 'Existing units the import did not change' }) unchanged: number;
  @ApiProperty({ example: 0, description: 'Records that could not become a unit (no name)' }) skipped: number;
  @ApiProperty({ example: 201, description: 'Units without usable coordinates: kept, flagged not locatable' }) flaggedNotLocatable: number;
  @ApiProperty({ type: [String] }) warnings: string[];
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Units created or updated, for bodies of at most 100 units' }) ids?: string[];
}

export class OperatorsViewDto implements OperatorsView {
  @ApiProperty(UUID) fabUnitId: string;
  @ApiProperty({ type: [String], format: 'uuid' }) operators: string[];
}

export class OpeningHoursViewDto implements OpeningHoursView {
  @ApiProperty(UUID) fabUnitId: string;
  @ApiProperty({ type: String, nullable: true, example: 'Europe/Berlin' }) timezone: string | null;
  @ApiProperty({ type: WeeklyScheduleDto, nullable: true }) openingHours: WeeklyScheduleDto | null;
  @ApiProperty({ type: [ClosureDto] }) closures: ClosureDto[];
}

export class ReservationViewDto implements ReservationView {
  @ApiProperty(UUID) id: string;
  @ApiProperty(UUID) fabUnitId: string;
  @ApiProperty(UUID) machineId: string;
  @ApiProperty({ type: String, nullable: true, description: 'The production job id for job reservations; null for manual ones' })
  key: string | null;
  @ApiProperty({ enum: ['job', 'manual'] }) kind: 'job' | 'manual';
  @ApiProperty(DATE_TIME) start: string;
  @ApiProperty({ ...DATE_TIME, description: 'Exclusive' }) end: string;
  @ApiPropertyOptional({ example: 'Nozzle change' }) note?: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'The account that made a manual reservation' }) createdBy: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) consumedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) releasedAt: string | null;
}

export class MachineCapacityDto implements MachineCapacity {
  @ApiProperty(UUID) machineId: string;
  @ApiProperty({ example: '3d-printing.fdm' }) process: string;
  @ApiProperty({ example: 3900 }) freeMinutes: number;
}

@ApiExtraModels(MaterialQuantityDto)
export class CapacityViewDto implements CapacityView {
  @ApiProperty(DATE_TIME) from: string;
  @ApiProperty({ ...DATE_TIME, description: 'Exclusive' }) to: string;
  @ApiProperty({ type: [String], format: 'uuid' }) fabUnitIds: string[];
  @ApiProperty({ ...MINUTES_BY_PROCESS, description: 'Free machine minutes per process (opening hours minus reservations)' })
  machineMinutes: Record<string, number>;
  @ApiProperty({ ...MATERIALS_BY_ID, description: 'Free stock per material (on hand minus holds); `material@unit` when a material is stocked in units that do not convert' })
  materials: Record<string, MaterialQuantityDto>;
  @ApiProperty({ type: [MachineCapacityDto] }) machines: MachineCapacityDto[];
}
