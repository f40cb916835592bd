import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** Machine time, half-open `[start, end)`; never overlapping another active one on the machine. */
@Entity({ name: 'reservations' })
export class ReservationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') machineId: string;
  @Column('uuid') fabUnitId: string;
  @Column('text', { nullable: true }) key: string | null;
  @Column('text') kind: string;
  @Column('tstzrange') during: string;
  @Column('text', { nullable: true }) note: string | null;
  @Column('uuid', { nullable: true }) createdBy: string | null;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz', { nullable: true }) consumedAt: Date | null;
  @Column('timestamptz', { nullable: true }) releasedAt: Date | null;
}

/** Material set aside for a job until it ends (consumed) or is given up (released). */
@Entity({ name: 'material_holds' })
export class MaterialHoldEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') key: string;
  @Column('uuid') fabUnitId: string;
  @Column('text') material: string;
  @Column('numeric') quantity: string;
  @Column('text') unit: string;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz', { nullable: true }) consumedAt: Date | null;
  @Column('timestamptz', { nullable: true }) releasedAt: Date | null;
}

/** One `reservationsPlace` call, by its idempotency key (the production job id). */
@Entity({ name: 'placements' })
export class PlacementEntity {
  @PrimaryColumn('text') key: string;
  @Column('uuid') fabUnitId: string;
  @Column('uuid', { nullable: true }) machineId: string | null;
  @Column('text', { nullable: true }) designVersionId: string | null;
  @Column('timestamptz', { nullable: true }) completion: Date | null;
  @Column('jsonb') request: unknown;
  @Column('jsonb', { nullable: true }) result: unknown;
  @Column('timestamptz') createdAt: Date;
}
