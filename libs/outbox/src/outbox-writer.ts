import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ident, outboxChannel } from './outbox-sql.js';

export interface OutboxMessage {
  /** BullMQ queue name (from QUEUES in libs/contracts); no `:`. */
  queue: string;
  /** BullMQ job name. */
  name: string;
  /** Ids and small facts only: the rows are the truth. */
  payload: object;
  /** BullMQ job id; default: the outbox row id. Give one to make a re-write a no-op. No `:`. */
  jobId?: string;
  /** Delay counted from the commit (BullMQ delayed job). */
  delayMs?: number;
}

/**
 * Writes outbox rows INSIDE the caller's business transaction: they commit or roll back with
 * it. One multi-row INSERT however many messages, plus a NOTIFY that wakes the relays at
 * commit. A message whose (queue, jobId) is already in the outbox is ignored (the first one
 * stands), so writing with deterministic job ids is idempotent.
 */
export class OutboxWriter {
  private readonly table: string;
  private readonly channel: string;

  constructor(readonly schema: string) {
    this.table = `${ident(schema)}.outbox`;
    this.channel = outboxChannel(schema);
  }

  /** Returns the outbox row ids, in the order given (ids of ignored duplicates included). */
  async write(manager: EntityManager, messages: readonly OutboxMessage[]): Promise<string[]> {
    if (messages.length === 0) return [];
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.write must run inside the business transaction (dataSource.transaction(m => …))');
    }
    const ids: string[] = [];
    const rows: { id: string; queue: string; name: string; payload: object; job_id: string; delay_ms: number }[] = [];
    for (const m of messages) {
      const id = randomUUID();
      const jobId = m.jobId ?? id;
      if (!m.queue || m.queue.includes(':')) throw new Error(`outbox: queue name ${JSON.stringify(m.queue)} is empty or has ':'`);
      if (jobId.includes(':')) throw new Error(`outbox: job id ${JSON.stringify(jobId)} has ':'`);
      if (m.payload === null || typeof m.payload !== 'object' || Array.isArray(m.payload)) {
        throw new Error('outbox: payload must be a plain object');
      }
      ids.push(id);
      rows.push({ id, queue: m.queue, name: m.name, payload: m.payload, job_id: jobId, delay_ms: Math.max(0, Math.round(m.delayMs ?? 0)) });
    }
    // One round trip: the rows, and the NOTIFY (delivered at commit, once per transaction
    // however many writes it makes) that wakes the relays. The rows travel as one JSON
    // document: as six arrays, pg quoted and escaped every element of each (every payload's
    // every quote), a good share of a connector batch's allocations.
    await manager.query(
      `WITH ins AS (
         INSERT INTO ${this.table} (id, queue, name, payload, job_id, delay_ms)
         SELECT id, queue, name, payload, job_id, delay_ms
         FROM json_to_recordset($1::json) AS x(id uuid, queue text, name text, payload jsonb, job_id text, delay_ms int)
         ON CONFLICT (queue, job_id) DO NOTHING
         RETURNING 1
       )
       SELECT pg_notify($2, '') FROM (SELECT count(*) FROM ins) c`,
      [JSON.stringify(rows), this.channel],
    );
    return ids;
  }

  /**
   * Withdraws messages that became moot before the relay sent them (in the transaction that
   * made them moot): they are marked done without being sent (`sends` stays 0). A message the
   * relay is sending right now is waited for (row lock) and then left alone: remove its queue
   * entry after the commit instead (`OutboxRelay.discard`). Returns how many were withdrawn.
   */
  async withdraw(manager: EntityManager, entries: readonly { queue: string; jobId: string }[]): Promise<number> {
    if (entries.length === 0) return 0;
    if (!manager.queryRunner?.isTransactionActive) throw new Error('OutboxWriter.withdraw must run inside the business transaction');
    const rows: unknown[] = await manager.query(
      // (A bare UPDATE would come back from TypeORM as [rows, count]; a SELECT comes back as rows.)
      `WITH done AS (
         UPDATE ${this.table} o SET sent_at = now(), done_at = now()
         FROM unnest($1::text[], $2::text[]) AS w(queue, job_id)
         WHERE o.queue = w.queue AND o.job_id = w.job_id AND o.sent_at IS NULL
         RETURNING o.id
       )
       SELECT id FROM done`,
      [entries.map((e) => e.queue), entries.map((e) => e.jobId)],
    );
    return rows.length;
  }
}
