import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { WeeklySchedule } from '#libs/contracts/src/fabrication/schedule.js';

/** One bookable machine; an OKW entry with `quantity: 3` is three of these. */
@Entity({ name: 'machines' })
export class MachineEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') fabUnitId: string;
  @Column('integer') position: number;
  @Column('text') process: string;
  @Column('text', { nullable: true }) make: string | null;
  @Column('text', { nullable: true }) model: string | null;
  @Column('double precision', { nullable: true }) envelopeXMm: number | null;
  @Column('double precision', { nullable: true }) envelopeYMm: number | null;
  @Column('double precision', { nullable: true }) envelopeZMm: number | null;
  @Column('text', { array: true }) materials: string[];
  @Column('text') status: string;
  @Column('jsonb', { nullable: true }) openingHours: WeeklySchedule | null;
  @Column('integer', { nullable: true }) okwGroup: number | null;
  @Column('integer', { nullable: true }) okwQuantity: number | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
