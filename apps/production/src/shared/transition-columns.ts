import { Column, PrimaryColumn } from 'typeorm';

/**
 * The audit columns every state transition row carries (jobs and requests alike): the move,
 * the action that made it, who acted and when. Each entity adds the id of what moved.
 */
export abstract class TransitionColumns {
  @PrimaryColumn('bigint') id: string;
  @Column('text', { nullable: true }) fromState: string | null;
  @Column('text') toState: string;
  @Column('text') action: string;
  @Column('text') actorKind: string;
  @Column('uuid', { nullable: true }) actorAccountId: string | null;
  @Column('uuid', { nullable: true }) actorApiKeyId: string | null;
  @Column('jsonb', { nullable: true }) detail: Record<string, unknown> | null;
  @Column('timestamptz') at: Date;
}
