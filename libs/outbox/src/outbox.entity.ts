import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One message waiting for (or already handed to) BullMQ. The entity names no schema: TypeORM
 * puts it in the DataSource's schema, so every app registers this one class and gets its own
 * `<schema>.outbox` table (created by `outboxTableSql(schema)` in the app's migration).
 */
@Entity({ name: 'outbox' })
export class OutboxEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** Commit order; the relay sends in this order. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq: string;

  @Column('text')
  queue: string;

  @Column('text')
  name: string;

  @Column('jsonb')
  payload: Record<string, unknown>;

  /** BullMQ job id: the row id unless the writer chose one (unique per queue). */
  @Column('text')
  jobId: string;

  @Column('integer')
  delayMs: number;

  @Column({ type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  /** When the relay last handed it to BullMQ (null: not yet, or to be sent again). */
  @Column('timestamptz', { nullable: true })
  sentAt: Date | null;

  /** How many times the relay handed it to BullMQ (more than 1 after a Redis loss). */
  @Column('integer')
  sends: number;

  /** A fan-out row's BullMQ jobs, each under its own job id (see outboxFanoutSql); null: the row is one job. */
  @Column('jsonb', { nullable: true })
  entries: { jobId: string; payload: Record<string, unknown> }[] | null;

  /** When the relay saw the consumer finish it (BullMQ completed or failed for good, or removed). */
  @Column('timestamptz', { nullable: true })
  doneAt: Date | null;
}
