import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { MotionAction, MotionResultView } from '#libs/contracts/src/council/index.js';

@Entity({ name: 'motions' })
export class MotionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  councilId: string;

  @Column('text')
  title: string;

  @Column('text')
  description: string;

  @Column('text')
  kind: 'yes-no' | 'ranked';

  @Column('text', { nullable: true })
  threshold: 'majority' | '2:1' | '3:1' | null;

  @Column('text')
  quorum: string;

  @Column('jsonb')
  options: string[];

  @Column('text', { nullable: true })
  defaultOption: string | null;

  @Column('text', { nullable: true })
  majorityRatio: string | null;

  @Column('jsonb', { nullable: true })
  action: MotionAction | null;

  @Column('text')
  state: 'open' | 'closed';

  @Column('timestamptz', { nullable: true })
  closesAt: Date | null;

  @Column('jsonb', { nullable: true })
  result: MotionResultView | null;

  @Column('uuid')
  createdBy: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  closedAt: Date | null;
}

@Entity({ name: 'motion_ballots' })
export class MotionBallotEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  motionId: string;

  @Column('uuid')
  memberId: string;

  @Column('text', { nullable: true })
  choice: 'yes' | 'no' | 'abstain' | null;

  @Column('jsonb', { nullable: true })
  ranking: string[] | null;

  @Column('text')
  receipt: string;

  @Column('timestamptz')
  castAt: Date;
}
