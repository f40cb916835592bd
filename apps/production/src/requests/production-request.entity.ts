import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CostVector } from '#libs/contracts/src/fabrication/matching.js';
import type { RequestMode, RequestState } from '#libs/contracts/src/production/states.js';
import type { ProductionPlan } from '#libs/contracts/src/production/views.js';
import type { DesignSnapshot } from './design-snapshot.js';
import { TransitionColumns } from '../shared/transition-columns.js';

/** A requester's ask: quantity × design version delivered near a place by a date, and what became of it. */
@Entity({ name: 'requests' })
export class ProductionRequestEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') requesterId: string;
  @Column('text') idempotencyKey: string;
  /** SHA-256 of the canonical body: the same key with another body is refused. */
  @Column('text') bodyHash: string;
  @Column('uuid') designVersionId: string;
  @Column('text') title: string;
  /** What provenance needs of the (immutable) design version, kept when the request was matched. */
  @Column('jsonb', { nullable: true }) design: DesignSnapshot | null;
  @Column('integer') quantity: number;
  @Column('double precision') lat: number;
  @Column('double precision') lon: number;
  @Column('timestamptz') needBy: Date;
  @Column('text') purpose: string;
  @Column('text') mode: RequestMode;
  @Column('uuid', { nullable: true }) fabUnitId: string | null;
  @Column('text') state: RequestState;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('uuid', { nullable: true }) roundId: string | null;
  /** The funding round's period: where its jobs' machine time goes, a reroute's too. Null: direct, or funded before rounds sent it. */
  @Column('timestamptz', { nullable: true }) periodFrom: Date | null;
  @Column('timestamptz', { nullable: true }) periodTo: Date | null;
  /** The funding round's pool of fab units: where its steps may move, and a reroute go. Null: direct, or funded before rounds sent it. */
  @Column('uuid', { array: true, nullable: true }) poolFabUnitIds: string[] | null;
  @Column('jsonb', { nullable: true }) plan: ProductionPlan | null;
  @Column('jsonb', { nullable: true }) costVector: CostVector | null;
  @Column('jsonb') alternatives: ProductionPlan[];
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

@Entity({ name: 'request_transitions' })
export class RequestTransitionEntity extends TransitionColumns {
  /** With `id`, the primary key: a request's history is read in order (see the 1766300000000 migration). */
  @PrimaryColumn('uuid') requestId: string;
}

@Entity({ name: 'allocation_decisions' })
export class AllocationDecisionEntity {
  @PrimaryColumn('uuid') roundId: string;
  @PrimaryColumn('uuid') requestId: string;
  @Column('boolean') funded: boolean;
  @Column('text') reason: string;
  /** What production made of it: funded, unfunded, failed (capacity gone), moot (request cancelled meanwhile). */
  @Column('text') outcome: string;
  @Column('timestamptz') appliedAt: Date;
}
