import { outboxFanoutMigration } from '#libs/outbox/src/index.js';

/** Fan-out rows in the outbox: one row for many BullMQ jobs queued together (see outboxFanoutSql). */
export const OutboxFanout1766300000010 = outboxFanoutMigration('production', 'OutboxFanout1766300000010');
