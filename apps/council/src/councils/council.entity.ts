import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { CouncilRules, MemberRole } from '#libs/contracts/src/council/index.js';

@Entity({ name: 'councils' })
export class CouncilEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  scope: string;

  @Column('jsonb')
  rules: CouncilRules;

  @Column('uuid')
  createdBy: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  @Column({ type: 'timestamptz', insert: false })
  updatedAt: Date;
}

/** One row per (council, account): one member, one vote. */
@Entity({ name: 'members' })
export class MemberEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  councilId: string;

  @Column('uuid')
  accountId: string;

  @Column('text')
  role: MemberRole;

  @Column('uuid', { nullable: true })
  admittedBy: string | null;

  @Column({ type: 'timestamptz', insert: false, update: false })
  admittedAt: Date;
}

/** A fab unit whose capacity the council pools. */
@Entity({ name: 'council_fab_units' })
export class CouncilFabUnitEntity {
  @PrimaryColumn('uuid')
  councilId: string;

  @PrimaryColumn('uuid')
  fabUnitId: string;

  @Column('uuid', { nullable: true })
  addedBy: string | null;

  @Column({ type: 'timestamptz', insert: false, update: false })
  addedAt: Date;
}
