import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { CostVector } from '#libs/contracts/src/fabrication/index.js';
import type { CouncilRules, RoundBallotContent, RoundBudget, RoundResultView } from '#libs/contracts/src/council/index.js';

@Entity({ name: 'rounds' })
export class RoundEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  councilId: string;

  @Column('text')
  title: string;

  @Column('text')
  state: 'open' | 'closed';

  @Column('timestamptz')
  periodFrom: Date;

  @Column('timestamptz')
  periodTo: Date;

  @Column('timestamptz')
  opensAt: Date;

  @Column('timestamptz')
  closesAt: Date;

  /** The council's rules as they were when the round opened. */
  @Column('jsonb')
  rules: CouncilRules;

  /** The pooled capacity snapshot and the limits derived from it. */
  @Column('jsonb')
  budget: RoundBudget;

  @Column('jsonb', { nullable: true })
  result: RoundResultView | null;

  @Column('text', { nullable: true })
  digest: string | null;

  /** The anonymised Pabulib file of the closed round, exactly as digested and counted (plus the outcome columns). */
  @Column('text', { nullable: true, select: false })
  exportPb: string | null;

  @Column('uuid')
  createdBy: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  closedAt: Date | null;

  @Column('uuid', { nullable: true })
  closedBy: string | null;
}

@Entity({ name: 'candidates' })
export class CandidateEntity {
  @PrimaryColumn('uuid')
  roundId: string;

  @PrimaryColumn('uuid')
  productionRequestId: string;

  @Column('text')
  title: string;

  @Column('text')
  purpose: string;

  @Column('uuid')
  requesterId: string;

  @Column('jsonb')
  fabUnitIds: string[];

  @Column('jsonb')
  costVector: CostVector;

  /** Exact text, in the council's unit. */
  @Column('text')
  cost: string;

  @Column('jsonb')
  resources: Record<string, string>;

  @Column('uuid')
  addedBy: string;

  @Column({ type: 'timestamptz', insert: false, update: false })
  addedAt: Date;
}

@Entity({ name: 'round_ballots' })
export class RoundBallotEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  roundId: string;

  @Column('uuid')
  memberId: string;

  @Column('jsonb')
  content: RoundBallotContent;

  @Column('text')
  receipt: string;

  @Column('timestamptz')
  castAt: Date;
}
