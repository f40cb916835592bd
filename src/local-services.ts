import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { AppConfig } from '#libs/config/src/index.js';
import { redisConnectionOptions } from '#libs/contracts/src/index.js';

const PG_START = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
const REDIS_START =
  'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log';

export async function postgresAnswers(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function redisAnswers(redisUrl: string): Promise<boolean> {
  const redis = new Redis({ ...redisConnectionOptions(redisUrl), lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const dockerWorks = () => has('docker') && spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 }).status === 0;
const isLocal = (host: string) => ['127.0.0.1', 'localhost', '::1'].includes(host);

async function waitFor(check: () => Promise<boolean>, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 4; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/**
 * `npm start` on a bare machine: PostgreSQL and Redis must answer. When a local one does not,
 * start it with the installed server, else with Docker Compose, else say exactly what to do.
 */
export async function ensureLocalServices(config: AppConfig, log: (line: string) => void): Promise<void> {
  const problems: string[] = [];

  if (!(await postgresAnswers(config.databaseUrl))) {
    const host = new URL(config.databaseUrl).hostname;
    if (isLocal(host) && has('pg_ctlcluster') && existsSync('/etc/postgresql') && readdirSync('/etc/postgresql').length) {
      log('PostgreSQL is not answering; starting the local cluster');
      try { execSync(PG_START, { stdio: 'ignore', shell: '/bin/sh' }); } catch { /* reported below */ }
    } else if (isLocal(host) && dockerWorks()) {
      log('PostgreSQL is not answering; starting it with docker compose');
      spawnSync('docker', ['compose', 'up', '-d', 'postgres'], { stdio: 'inherit' });
    }
    if (!(await waitFor(() => postgresAnswers(config.databaseUrl), 20))) {
      problems.push(
        `PostgreSQL does not answer at ${redact(config.databaseUrl)}. Install it (Debian: apt-get install postgresql, then ${PG_START}), ` +
          'or run `docker compose up -d postgres`, or set DATABASE_URL to a server that runs.',
      );
    }
  }

  if (!(await redisAnswers(config.redisUrl))) {
    const host = new URL(config.redisUrl).hostname;
    if (isLocal(host) && has('redis-server')) {
      log('Redis is not answering; starting a local redis-server');
      try { execSync(REDIS_START, { stdio: 'ignore', shell: '/bin/sh' }); } catch { /* reported below */ }
    } else if (isLocal(host) && dockerWorks()) {
      log('Redis is not answering; starting it with docker compose');
      spawnSync('docker', ['compose', 'up', '-d', 'redis'], { stdio: 'inherit' });
    }
    if (!(await waitFor(() => redisAnswers(config.redisUrl), 10))) {
      problems.push(
        `Redis does not answer at ${config.redisUrl}. Install it (Debian: apt-get install redis-server, then ${REDIS_START}), ` +
          'or run `docker compose up -d redis`, or set REDIS_URL to a server that runs.',
      );
    }
  }

  if (problems.length) throw new Error(problems.join('\n'));
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
