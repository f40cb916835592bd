/**
 * # libs/outbox — the transactional outbox between PostgreSQL and BullMQ
 *
 * Redis holds no truth. Work that must not be lost is written as an outbox row in the same
 * transaction as the business rows; a relay hands it to BullMQ afterwards; a processor on the
 * other side acts on it idempotently. A crash anywhere loses nothing and doubles nothing.
 *
 * ## 1. Table (once per app, in a migration)
 *
 *   import { outboxTableSql, dropOutboxTableSql } from '#libs/outbox/src/index.js';
 *   export class Outbox1765000000000 implements MigrationInterface {
 *     name = 'Outbox1765000000000';
 *     async up(q: QueryRunner) { for (const sql of outboxTableSql('commons')) await q.query(sql); }
 *     async down(q: QueryRunner) { await q.query(dropOutboxTableSql('commons')); }
 *   }
 *
 * and add `OutboxEntity` to the app's `entities` (one class serves every schema).
 *
 * ## 2. Module (in the app's root module, after DatabaseModule)
 *
 *   OutboxModule.forApp({ schema: 'commons' })   // relay runs in this process (default)
 *   OutboxModule.forApp({ schema: 'commons', relay: false, relayOptions: { batchSize: 500 } })
 *
 * Exports `OutboxWriter`, `OutboxRelay`, `QueueWorkers`. Needs APP_CONFIG (databaseUrl,
 * redisUrl, namespace); BullMQ keys go under `<namespace>:bull`, like QueuesModule.
 *
 * ## 3. Write (INSIDE the business transaction)
 *
 *   await dataSource.transaction(async (m) => {
 *     await m.insert(BuildReportEntity, …);
 *     await writer.write(m, [
 *       { queue: QUEUES.reservations, name: 'outcome', payload: { key, outcome: 'consume', at } },
 *       { queue: QUEUES.roundCloses, name: 'close', payload: { roundId }, jobId: `close-${roundId}`, delayMs: 14 * 86400e3 },
 *     ]);
 *   });
 *
 * `write(manager, messages): Promise<string[]>` (row ids; one INSERT + NOTIFY round trip). Refuses to run outside a
 * transaction. `jobId` defaults to the row id; give a deterministic one (no `:`) and writing
 * the same (queue, jobId) again is a no-op (unique constraint, first one stands). `delayMs`
 * counts from the commit. Payloads: ids and small facts; the rows are the truth.
 *
 * Many jobs for one queue in one transaction: a fan-out row,
 * `{ queue, name, payload: { jobs: n }, jobId: <row name>, entries: [{ jobId, payload }, …] }`,
 * is one row for all of them; the relay adds one BullMQ job per entry, under the entry's job
 * id. Needs the `entries` column (`outboxFanoutSql(schema)` in a migration). It is done when
 * all its jobs are; after a Redis loss it is sent again whole (BullMQ ignores the ids it has).
 *
 * ## 4. Relay (`OutboxRelay`)
 *
 * Batches of `FOR UPDATE SKIP LOCKED` rows, marked `sent_at` in the same statement →
 * `addBulk` per queue (jobId as above, retries and retention from DEFAULT_JOB_OPTIONS) →
 * commit (a failed addBulk rolls the mark back). Woken by
 * LISTEN/NOTIFY (the writer notifies), polls every second as a fallback; any number of
 * processes may run one. `stop()` is graceful (batches in flight finish). `flush()` drains
 * everything (tests, scripts).
 *
 * Done mark: a sweep (every 5 s, rows sent over 10 s ago) reads the BullMQ job of each sent
 * row; finished (completed, or failed for good) or removed → `done_at`.
 *
 * Moot work: `writer.withdraw(m, [{ queue, jobId }])` in the transaction that made it moot
 * marks an unsent row done without sending it (or takes the entry out of an unsent fan-out
 * row); one already sent is removed from its queue
 * after the commit with `relay.discard([{ queue, jobId }])` (best effort; an active entry
 * stays and its idempotent processor finds nothing to do).
 * Redis loss: a sentinel key `<namespace>:outbox-sentinel:<schema>` is planted once Redis
 * mirrors the outbox; when it is gone (checked every poll, on reconnect and at start)
 * `reconcile()` puts every sent-but-not-done row whose job no longer exists back to unsent,
 * and they are sent again. Consumers see at most a repeat of a message they may already have
 * finished: they must be idempotent (they have to be anyway: BullMQ retries stalled jobs).
 *
 * ## 5. Consume (`QueueWorkers`)
 *
 *   workers.start<BuildReportMessage>(QUEUES.buildReports, async (job) => {
 *     await reports.record(job.data);          // idempotent: unique on sourceJobId
 *   }, { concurrency: 20 });
 *
 * House defaults: lock WORKER_LOCK_MS, stalled check STALLED_INTERVAL_MS; all workers are
 * closed gracefully (active jobs finish) at application shutdown, before the relay stops.
 * A processor that throws is retried with exponential backoff (DEFAULT_JOB_OPTIONS); throw
 * only for transient failures, return normally for a message that is moot.
 */
export * from './outbox.entity.js';
export * from './outbox-sql.js';
export * from './outbox-writer.js';
export * from './outbox-relay.js';
export * from './queue-workers.js';
export * from './redis-connection.js';
export * from './outbox.module.js';
