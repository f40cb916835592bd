import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { OptionalNested } from '../dto-decorators.js';
import { BALLOT_TYPES, MEMBER_ROLES, type MemberRole, TIE_BREAKS, VOTING_METHODS } from './rules.js';

/**
 * The validated shapes of what the gateway sends the council service: the HTTP bodies, and the
 * messages that wrap a body with the id of the route. The same global pipe validates both ends,
 * unknown fields are refused. Finer rules (a rate for every process, a ballot naming only this
 * round's candidates) are checked by the service, which alone knows the council.
 */
const RATIO = /^\s*\d+(\.\d+)?(\s*\/\s*\d+)?\s*$/;
const RATIO_MESSAGE = 'must be a non-negative exact number: "0.5", "1/2", "2"';

export class CompletionRulesDto {
  @ApiPropertyOptional({ description: 'Raise every voter budget step by step until the outcome is exhaustive (pabutools "add1").' })
  @IsOptional()
  @IsBoolean()
  add1?: boolean;

  @ApiPropertyOptional({ example: '1', description: 'Per-voter budget increment of each add1 step, in council units.' })
  @IsOptional()
  @IsString()
  @Matches(RATIO, { message: `increment ${RATIO_MESSAGE}` })
  increment?: string;

  @ApiPropertyOptional({ description: 'After Equal Shares, fund what still fits by votes.' })
  @IsOptional()
  @IsBoolean()
  greedyFill?: boolean;
}

export class RatesDto {
  @ApiPropertyOptional({ example: { 'laser-cutting': '30', '3d-printing.fdm': '4.5' }, description: 'Council units per machine hour, by process.' })
  @IsOptional()
  @IsObject()
  machineHour?: Record<string, string | number>;

  @ApiPropertyOptional({ example: { pla: { unit: 'kg', rate: '25' } }, description: 'Council units per unit of each material.' })
  @IsOptional()
  @IsObject()
  material?: Record<string, { unit: string; rate: string | number }>;
}

export class CouncilRulesDto {
  @ApiPropertyOptional({ enum: VOTING_METHODS, default: 'equal-shares' })
  @IsOptional()
  @IsIn(VOTING_METHODS)
  votingMethod?: (typeof VOTING_METHODS)[number];

  @ApiPropertyOptional({ enum: BALLOT_TYPES, default: 'approval' })
  @IsOptional()
  @IsIn(BALLOT_TYPES)
  ballotType?: (typeof BALLOT_TYPES)[number];

  @ApiPropertyOptional({ default: 10, description: 'Cumulative ballots: points per member.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  maxPoints?: number;

  @ApiPropertyOptional({ enum: TIE_BREAKS, default: 'id', description: 'id = production request id, code-point order (pabutools lexicographic).' })
  @IsOptional()
  @IsIn(TIE_BREAKS)
  tieBreak?: (typeof TIE_BREAKS)[number];

  @OptionalNested(CompletionRulesDto)
  completion?: CompletionRulesDto;

  @ApiPropertyOptional({ example: '1/3', description: 'Share of members who must cast a round ballot.' })
  @IsOptional()
  @IsString()
  @Matches(RATIO, { message: `quorum ${RATIO_MESSAGE}` })
  quorum?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  secretBallots?: boolean;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  replaceableBallots?: boolean;

  @OptionalNested(RatesDto)
  rates?: RatesDto;
}

export class CreateCouncilDto {
  @ApiProperty({ example: 'Lower Rhine makers council' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: 'Machine time of the fab labs of the Lower Rhine' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  scope?: string;

  @OptionalNested(CouncilRulesDto)
  rules?: CouncilRulesDto;
}

export class AdmitMemberDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  accountId: string;

  @ApiProperty({ enum: MEMBER_ROLES })
  @IsIn(MEMBER_ROLES)
  role: MemberRole;
}

export class AddFabUnitDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  fabUnitId: string;
}

export const MOTION_KINDS = ['yes-no', 'ranked'] as const;
export const MOTION_THRESHOLDS = ['majority', '2:1', '3:1'] as const;
export const BALLOT_CHOICES = ['yes', 'no', 'abstain'] as const;

export class MotionActionDto {
  @ApiProperty({ enum: ['admit-member', 'change-rules'] })
  @IsIn(['admit-member', 'change-rules'])
  type: 'admit-member' | 'change-rules';

  @ApiPropertyOptional({ format: 'uuid', description: 'admit-member' })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @ApiPropertyOptional({ enum: MEMBER_ROLES, description: 'admit-member' })
  @IsOptional()
  @IsIn(MEMBER_ROLES)
  role?: MemberRole;

  @OptionalNested(CouncilRulesDto, { description: 'change-rules: the fields to change' })
  rules?: CouncilRulesDto;
}

export class CreateMotionDto {
  @ApiProperty({ example: 'Admit the Kleve repair café' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string;

  @ApiProperty({ enum: MOTION_KINDS })
  @IsIn(MOTION_KINDS)
  kind: (typeof MOTION_KINDS)[number];

  @ApiPropertyOptional({ enum: MOTION_THRESHOLDS, default: 'majority', description: 'yes-no: yes > no, yes ≥ 2·no, yes ≥ 3·no' })
  @IsOptional()
  @IsIn(MOTION_THRESHOLDS)
  threshold?: (typeof MOTION_THRESHOLDS)[number];

  @ApiPropertyOptional({ example: '1/2', description: 'Share of members who must vote (default: the council rules quorum).' })
  @IsOptional()
  @IsString()
  @Matches(RATIO, { message: `quorum ${RATIO_MESSAGE}` })
  quorum?: string;

  @ApiPropertyOptional({ example: ['Swirl', 'Pot', 'Further discussion'], description: 'ranked: the options' })
  @IsOptional()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  @ArrayMinSize(2)
  @ArrayMaxSize(50)
  @ArrayUnique()
  options?: string[];

  @ApiPropertyOptional({ example: 'Further discussion', description: 'ranked: the default option every option must beat by the majority ratio (Debian A.6)' })
  @IsOptional()
  @IsString()
  defaultOption?: string;

  @ApiPropertyOptional({ example: '1', description: 'ranked: the majority ratio against the default option' })
  @IsOptional()
  @IsString()
  @Matches(RATIO, { message: `majorityRatio ${RATIO_MESSAGE}` })
  majorityRatio?: string;

  @OptionalNested(MotionActionDto, { description: 'yes-no: what happens when it passes' })
  action?: MotionActionDto;

  @ApiPropertyOptional({ format: 'date-time', description: 'No ballot is taken after this.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  closesAt?: string;
}

export class CastMotionBallotDto {
  @ApiPropertyOptional({ enum: BALLOT_CHOICES, description: 'yes-no motions' })
  @IsOptional()
  @IsIn(BALLOT_CHOICES)
  choice?: (typeof BALLOT_CHOICES)[number];

  @ApiPropertyOptional({ example: ['Swirl', 'Further discussion'], description: 'ranked motions: best first; unlisted options rank last, tied' })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(50)
  @ArrayUnique()
  ranking?: string[];
}

export class OpenRoundDto {
  @ApiProperty({ example: 'First half of March' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({
    format: 'date-time',
    description: 'Start of the period whose capacity is allocated; may be past (a period under way is budgeted from now)',
  })
  @IsISO8601({ strict: true })
  periodFrom: string;

  @ApiProperty({ format: 'date-time', description: 'End of the period: after periodFrom and in the future (funded jobs are reserved inside the period)' })
  @IsISO8601({ strict: true })
  periodTo: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Voting opens (default: now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  opensAt?: string;

  @ApiProperty({ format: 'date-time', description: 'Voting closes; the round is tallied then (or earlier, by an admin)' })
  @IsISO8601({ strict: true })
  closesAt: string;
}

export class AddCandidateDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  productionRequestId: string;
}

export class CastRoundBallotDto {
  @ApiPropertyOptional({ description: 'approval ballots: any subset of the candidates (production request ids)' })
  @IsOptional()
  @IsUUID('all', { each: true })
  @ArrayMaxSize(10_000)
  @ArrayUnique()
  approvals?: string[];

  @ApiPropertyOptional({ example: { '7c0e…': 3 }, description: 'cumulative ballots: points per candidate, at most maxPoints in all' })
  @IsOptional()
  @IsObject()
  points?: Record<string, number>;

  @ApiPropertyOptional({ description: 'ranked ballots: candidates best first' })
  @IsOptional()
  @IsUUID('all', { each: true })
  @ArrayMaxSize(10_000)
  @ArrayUnique()
  ranking?: string[];
}

// Messages: the route's id plus the body.

export class IdMessage {
  @IsUUID()
  id: string;
}

export class AdmitMemberMessage extends IdMessage {
  @IsDefined()
  @ValidateNested()
  @Type(() => AdmitMemberDto)
  body: AdmitMemberDto;
}

export class AddFabUnitMessage extends IdMessage {
  @IsDefined()
  @ValidateNested()
  @Type(() => AddFabUnitDto)
  body: AddFabUnitDto;
}

export class CreateMotionMessage extends IdMessage {
  @IsDefined()
  @ValidateNested()
  @Type(() => CreateMotionDto)
  body: CreateMotionDto;
}

export class CastMotionBallotMessage extends IdMessage {
  @IsDefined()
  @ValidateNested()
  @Type(() => CastMotionBallotDto)
  body: CastMotionBallotDto;
}

export class OpenRoundMessage extends IdMessage {
  @IsDefined()
  @ValidateNested()
  @Type(() => OpenRoundDto)
  body: OpenRoundDto;
}

export class AddCandidateMessage extends IdMessage {
  @IsDefined()
  @ValidateNested()
  @Type(() => AddCandidateDto)
  body: AddCandidateDto;
}

export class CastRoundBallotMessage extends IdMessage {
  @IsDefined()
  @ValidateNested()
  @Type(() => CastRoundBallotDto)
  body: CastRoundBallotDto;
}
