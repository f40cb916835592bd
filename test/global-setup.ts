import pg from 'pg';
import { Redis } from 'ioredis';

/** Fails the e2e run early, with the fix, when PostgreSQL or Redis is not there. */
export default async function globalSetup(): Promise<void> {
  const dbUrl = new URL(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  dbUrl.pathname = '/postgres';
  const client = new pg.Client({ connectionString: dbUrl.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`e2e tests need PostgreSQL at ${dbUrl.host}: ${(error as Error).message}. Start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`);
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = new Redis(process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`e2e tests need Redis: ${(error as Error).message}. Start it: redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no`);
  } finally {
    redis.disconnect();
  }
}
