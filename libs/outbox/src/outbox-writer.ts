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
  /**
   * A fan-out: the row stands for one BullMQ job per entry on `queue`, each under its own job
   * id (no `:`) with its own payload; `jobId` then names the row only and `payload` is the
   * row's own note, not sent. One row for many jobs queued together (see outboxFanoutSql).
   */
  entries?: readonly OutboxEntry[];
}

export interface OutboxEntry {
  jobId: string;
  payload: object;
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
    const rows: { id: string; queue: string; name: string; payload: object; job_id: string; delay_ms: number; entries: readonly OutboxEntry[] | null }[] = [];
    for (const m of messages) {
      const id = randomUUID();
      const jobId = m.jobId ?? id;
      if (!m.queue || m.queue.includes(':')) throw new Error(`outbox: queue name ${JSON.stringify(m.queue)} is empty or has ':'`);
      checkJobId(jobId, 'job id');
      checkPayload(m.payload, 'payload');
      if (m.entries !== undefined) checkEntries(m.entries);
      ids.push(id);
      rows.push({
        id,
        queue: m.queue,
        name: m.name,
        payload: m.payload,
        job_id: jobId,
        delay_ms: Math.max(0, Math.round(m.delayMs ?? 0)),
        entries: m.entries ?? null,
      });
    }
    // One round trip: the rows, and the NOTIFY (delivered at commit, once per transaction
    // however many writes it makes) that wakes the relays. The rows travel as one JSON
    // document: as six arrays, pg quoted and escaped every element of each (every payload's
    // every quote), a good share of a connector batch's allocations.
    await manager.query(
      `WITH ins AS (
         INSERT INTO ${this.table} (id, queue, name, payload, job_id, delay_ms, entries)
         SELECT id, queue, name, payload, job_id, delay_ms, entries
         FROM json_to_recordset($1::json) AS x(id uuid, queue text, name text, payload jsonb, job_id text, delay_ms int, entries jsonb)
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
   * made them moot): they are marked done without being sent (`sends` stays 0); an entry of an
   * unsent fan-out row is taken out of it (a row left with none is done). A message the relay
   * is sending right now is waited for (row lock) and then left alone: remove its queue entry
   * after the commit instead (`OutboxRelay.discard`). Returns how many were withdrawn.
   */
  async withdraw(manager: EntityManager, entries: readonly { queue: string; jobId: string }[]): Promise<number> {
    if (entries.length === 0) return 0;
    if (!manager.queryRunner?.isTransactionActive) throw new Error('OutboxWriter.withdraw must run inside the business transaction');
    const queues = entries.map((e) => e.queue);
    const jobIds = entries.map((e) => e.jobId);
    const rows: unknown[] = await manager.query(
      // (A bare UPDATE would come back from TypeORM as [rows, count]; a SELECT comes back as rows.)
      `WITH done AS (
         UPDATE ${this.table} o SET sent_at = now(), done_at = now()
         FROM unnest($1::text[], $2::text[]) AS w(queue, job_id)
         WHERE o.queue = w.queue AND o.job_id = w.job_id AND o.sent_at IS NULL
         RETURNING o.id
       )
       SELECT id FROM done`,
      [queues, jobIds],
    );
    return rows.length + (await this.withdrawEntries(manager, queues, jobIds));
  }

  /**
   * The fan-out half of `withdraw`. The rows are locked first and rewritten from what the lock
   * found: two withdrawals from one row in concurrent transactions then apply one after the
   * other (computed from a snapshot, the second would put back what the first took out), and a
   * row the relay claimed meanwhile is sent, so no longer matches, and is left to `discard`.
   */
  private async withdrawEntries(manager: EntityManager, queues: readonly string[], jobIds: readonly string[]): Promise<number> {
    const open: { id: string; queue: string; entries: OutboxEntry[] }[] = await manager.query(
      `SELECT o.id, o.queue, o.entries FROM ${this.table} o
       WHERE o.entries IS NOT NULL AND o.done_at IS NULL AND o.sent_at IS NULL AND o.queue = ANY($1::text[])
         AND EXISTS (SELECT 1 FROM jsonb_array_elements(o.entries) e, unnest($1::text[], $2::text[]) AS w(queue, job_id)
                     WHERE w.queue = o.queue AND w.job_id = e->>'jobId')
       ORDER BY o.id FOR UPDATE`,
      [queues, jobIds],
    );
    if (open.length === 0) return 0;
    // Keyed queue:jobId: neither may hold a colon (write refuses one).
    const moot = new Set(queues.map((q, i) => `${q}:${jobIds[i]}`));
    let withdrawn = 0;
    const kept = open.map((row) => {
      const left = row.entries.filter((e) => !moot.has(`${row.queue}:${e.jobId}`));
      withdrawn += row.entries.length - left.length;
      return { id: row.id, entries: left };
    });
    await manager.query(
      `WITH k AS (SELECT * FROM json_to_recordset($1::json) AS k(id uuid, entries jsonb))
       UPDATE ${this.table} o SET entries = k.entries,
         sent_at = CASE WHEN jsonb_array_length(k.entries) = 0 THEN now() END,
         done_at = CASE WHEN jsonb_array_length(k.entries) = 0 THEN now() END
       FROM k WHERE o.id = k.id`,
      [JSON.stringify(kept)],
    );
    return withdrawn;
  }
}

function checkEntries(entries: readonly OutboxEntry[]): void {
  if (!Array.isArray(entries) || entries.length === 0) throw new Error('outbox: a fan-out needs at least one entry');
  for (const e of entries) {
    checkJobId(e?.jobId, 'entry job id');
    checkPayload(e.payload, 'an entry payload');
  }
}

/** BullMQ refuses `:` in a job id; the table, an empty one. */
function checkJobId(jobId: unknown, what: string): void {
  if (typeof jobId !== 'string' || !jobId || jobId.includes(':')) throw new Error(`outbox: ${what} ${JSON.stringify(jobId)} is empty or has ':'`);
}

function checkPayload(payload: unknown, what: string): void {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new Error(`outbox: ${what} must be a plain object`);
}
