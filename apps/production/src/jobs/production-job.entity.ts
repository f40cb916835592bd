import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PlacedReservation } from '#libs/contracts/src/fabrication/messages.js';
import type { JobState } from '#libs/contracts/src/production/states.js';
import { TransitionColumns } from '../shared/transition-columns.js';

/** One step of a funded plan at one machine of one unit, holding its reservation. */
@Entity({ name: 'jobs' })
export class ProductionJobEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') requestId: string;
  @Column('integer') stepIndex: number;
  /** 0 for the first placement; n after n reroutes of the step. */
  @Column('integer') attempt: number;
  @Column('uuid') fabUnitId: string;
  @Column('text', { nullable: true }) machineId: string | null;
  @Column('text') process: string;
  @Column('text') material: string;
  @Column('integer') minutes: number;
  @Column('numeric') materialQuantity: string;
  @Column('text') materialUnit: string;
  @Column('jsonb', { nullable: true }) reservation: PlacedReservation | null;
  @Column('text') state: JobState;
  @Column('integer') progress: number;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('uuid', { nullable: true }) reroutedFrom: string | null;
  @Column('timestamptz') queuedAt: Date;
  @Column('timestamptz', { nullable: true }) acceptedAt: Date | null;
  @Column('timestamptz', { nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { nullable: true }) finishedAt: Date | null;
  @Column('timestamptz') updatedAt: Date;
}

@Entity({ name: 'job_transitions' })
export class JobTransitionEntity extends TransitionColumns {
  /** With `id`, the primary key: a job's history is read in order (see the 1766300000000 migration). */
  @PrimaryColumn('uuid') jobId: string;
}

/** What was made, of what, where, by whom, under which license: written once, when a job completes. */
@Entity({ name: 'provenance' })
export class ProvenanceEntity {
  @PrimaryColumn('uuid') jobId: string;
  @Column('uuid') requestId: string;
  @Column('uuid') designVersionId: string;
  @Column('jsonb') design: Record<string, unknown>;
  @Column('uuid') fabUnitId: string;
  @Column('text', { nullable: true }) machineId: string | null;
  @Column('text') process: string;
  @Column('integer') quantity: number;
  @Column('jsonb') materials: { material: string; quantity: number; unit: string }[];
  @Column('timestamptz', { nullable: true }) acceptedAt: Date | null;
  @Column('timestamptz', { nullable: true }) startedAt: Date | null;
  @Column('timestamptz') completedAt: Date;
  @Column('timestamptz') recordedAt: Date;
}

@Entity({ name: 'automated_units' })
export class AutomatedUnitEntity {
  @PrimaryColumn('uuid') fabUnitId: string;
  @Column('integer') concurrency: number;
  @Column('integer') workMs: number;
  @Column('timestamptz') createdAt: Date;
}
