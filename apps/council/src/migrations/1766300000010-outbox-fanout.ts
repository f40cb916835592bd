import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropOutboxFanoutSql, outboxFanoutSql } from '#libs/outbox/src/index.js';

/** Fan-out rows in the outbox: one row for many BullMQ jobs queued together (see outboxFanoutSql). */
export class OutboxFanout1766300000010 implements MigrationInterface {
  name = 'OutboxFanout1766300000010';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of outboxFanoutSql('council')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of dropOutboxFanoutSql('council')) await q.query(sql);
  }
}
