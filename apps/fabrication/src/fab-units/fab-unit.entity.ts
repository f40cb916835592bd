import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { FabUnitContact } from '#libs/contracts/src/fabrication/fab-unit.js';
import type { Closure, WeeklySchedule } from '#libs/contracts/src/fabrication/schedule.js';

/** A fab lab, makerspace, workshop or micro-factory. `location` (a generated point) is left to SQL. */
@Entity({ name: 'fab_units' })
export class FabUnitEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') kind: string;
  @Column('text') status: string;
  @Column('text', { nullable: true }) accessType: string | null;
  @Column('double precision', { nullable: true }) lat: number | null;
  @Column('double precision', { nullable: true }) lon: number | null;
  @Column({ type: 'boolean', insert: false, update: false }) locatable: boolean;
  @Column('text', { nullable: true }) address: string | null;
  @Column('text', { nullable: true }) city: string | null;
  @Column('text', { nullable: true }) region: string | null;
  @Column('text', { nullable: true }) country: string | null;
  @Column('text', { nullable: true }) postcode: string | null;
  @Column('text', { nullable: true }) url: string | null;
  @Column('jsonb') contact: FabUnitContact;
  @Column('text', { nullable: true }) timezone: string | null;
  @Column('text', { nullable: true }) description: string | null;
  @Column('jsonb', { nullable: true }) openingHours: WeeklySchedule | null;
  @Column('jsonb') closures: Closure[];
  @Column('text') sourceSystem: string;
  @Column('text', { nullable: true }) sourceId: string | null;
  @Column('text') dedupeKey: string;
  @Column('uuid', { array: true }) councilIds: string[];
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
