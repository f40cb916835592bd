import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_STATES, REQUEST_MODES, REQUEST_STATES } from '#libs/contracts/src/production/states.js';

/** OpenAPI shapes of production's answers (the views of libs/contracts/src/production/views.ts). */
export class TransitionResponseDto {
  @ApiProperty({ nullable: true, type: String }) from: string | null;
  @ApiProperty() to: string;
  @ApiProperty() action: string;
  @ApiProperty({ example: { kind: 'machine', accountId: null, apiKeyId: '…' } }) actor: object;
  @ApiPropertyOptional({ type: Object, nullable: true }) detail: object | null;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class JobSummaryResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() stepIndex: number;
  @ApiProperty({ format: 'uuid' }) fabUnitId: string;
  @ApiProperty({ enum: JOB_STATES }) state: string;
}

export class ProductionRequestResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) requesterId: string;
  @ApiProperty({ format: 'uuid' }) designVersionId: string;
  @ApiProperty() title: string;
  @ApiProperty() quantity: number;
  @ApiProperty({ example: { lat: 52.52, lon: 13.405 } }) delivery: object;
  @ApiProperty({ format: 'date-time' }) needBy: string;
  @ApiProperty() purpose: string;
  @ApiProperty({ enum: REQUEST_MODES }) mode: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) fabUnitId: string | null;
  @ApiProperty({ enum: REQUEST_STATES }) state: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) roundId: string | null;
  @ApiProperty({ type: Object, nullable: true, description: 'The chosen plan: steps at machines, completion, cost' }) plan: object | null;
  @ApiProperty({ type: Object, nullable: true, description: 'Machine minutes per process, materials' }) costVector: object | null;
  @ApiProperty({ type: [Object], description: 'Other candidates, best first (reroutes go there)' }) alternatives: object[];
  @ApiProperty({ type: [JobSummaryResponseDto] }) jobs: JobSummaryResponseDto[];
  @ApiProperty({ type: [TransitionResponseDto] }) transitions: TransitionResponseDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class JobResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty({ format: 'uuid' }) designVersionId: string;
  @ApiProperty() title: string;
  @ApiProperty() quantity: number;
  @ApiProperty() stepIndex: number;
  @ApiProperty() attempt: number;
  @ApiProperty({ format: 'uuid' }) fabUnitId: string;
  @ApiProperty({ nullable: true, type: String }) machineId: string | null;
  @ApiProperty() process: string;
  @ApiProperty() material: string;
  @ApiProperty() minutes: number;
  @ApiProperty() materialQuantity: number;
  @ApiProperty() materialUnit: string;
  @ApiProperty({ enum: JOB_STATES }) state: string;
  @ApiProperty() progress: number;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ type: Object, nullable: true }) reservation: object | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) reroutedFrom: string | null;
  @ApiProperty({ format: 'date-time' }) queuedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) acceptedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt: string | null;
  @ApiPropertyOptional({ type: [TransitionResponseDto] }) transitions?: TransitionResponseDto[];
}

export class ProvenanceResponseDto {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty({ type: Object, description: 'Design version, content hash, license, attribution chain' }) design: object;
  @ApiProperty({ format: 'uuid' }) fabUnitId: string;
  @ApiProperty({ nullable: true, type: String }) machineId: string | null;
  @ApiProperty() process: string;
  @ApiProperty() quantity: number;
  @ApiProperty({ type: [Object] }) materialsConsumed: object[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) acceptedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt: string | null;
  @ApiProperty({ format: 'date-time' }) completedAt: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

export class AutomationResponseDto {
  @ApiProperty({ format: 'uuid' }) fabUnitId: string;
  @ApiProperty() automated: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'Jobs worked at once; null when not automated' }) concurrency: number | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) automatedSince: string | null;
}
