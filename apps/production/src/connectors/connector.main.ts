import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { NamespacedClientRedis, redisConnectionOptions } from '#libs/contracts/src/index.js';
import { dataSourceOptions } from '#libs/database/src/index.js';
import { OutboxWriter, QueueWorkers } from '#libs/outbox/src/index.js';
import { JobWork } from '../jobs/job-work.js';
import { productionDatabase } from '../production.database.js';
import { EventPublisher } from '../shared/events.js';
import { ConnectorPool } from './connector-pool.js';

/**
 * A machine connector process on its own: works fab unit queues outside the production
 * service (to scale out, or to run next to the machines). Needs PostgreSQL and Redis only.
 *
 *   DATABASE_URL=… REDIS_URL=… COSMOLOCAL_NAMESPACE=cosmolocal node dist/apps/production/src/connectors/connector.main.js
 *
 * FAB_UNIT_IDS=a,b works those units; otherwise the automated units of the database, the
 * shard SHARD=i/n of them. WORK_MS simulates machine time, CONCURRENCY per unit, LOCK_MS and
 * STALLED_MS tune BullMQ's stalled-job recovery. SIGTERM/SIGINT: graceful (active jobs finish).
 * Prints `connector ready` once its workers listen.
 */
async function main(): Promise<void> {
  const env = process.env;
  const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cosmolocal';
  const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const namespace = env.COSMOLOCAL_NAMESPACE ?? 'cosmolocal';
  const num = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);

  const dataSource = new DataSource(dataSourceOptions(productionDatabase, databaseUrl, num('DB_POOL_SIZE', 10)));
  await dataSource.initialize();
  const transport = new NamespacedClientRedis({ ...redisConnectionOptions(redisUrl), namespace });
  const events = new EventPublisher({
    emit: (pattern, data) =>
      new Promise<void>((resolve) => transport.emit(pattern, data).subscribe({ complete: resolve, error: () => resolve() })),
  });
  const work = new JobWork(dataSource, new OutboxWriter('production'), events);
  const queueWorkers = new QueueWorkers({ redisUrl, namespace });
  const [index, count] = (env.SHARD ?? '').split('/').map(Number);
  const pool = new ConnectorPool(work, queueWorkers, {
    worker: {
      ...(env.LOCK_MS ? { lockDuration: num('LOCK_MS', 30_000) } : {}),
      ...(env.STALLED_MS ? { stalledInterval: num('STALLED_MS', 15_000) } : {}),
    },
    ...(count ? { shard: { index: index!, count } } : {}),
  });
  const units = (env.FAB_UNIT_IDS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (units.length) await pool.workUnits(units.map((fabUnitId) => ({ fabUnitId, concurrency: num('CONCURRENCY', 20), workMs: num('WORK_MS', 0) })));
  else await pool.start();
  await pool.ready();
  console.log('connector ready');

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    void (async () => {
      await pool.stop();
      await queueWorkers.closeAll();
      await transport.close();
      await dataSource.destroy();
      process.exit(0);
    })();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error(`connector: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
