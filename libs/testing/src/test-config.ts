import { randomBytes } from 'node:crypto';
import { type AppConfig, DEFAULTS, loadConfig } from '#libs/config/src/index.js';

/**
 * A configuration of its own for one test file: its own database (created, migrated and
 * dropped around the file) and its own Redis namespace, so test files and a running dev
 * system never see each other's data, messages or queues.
 */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const id = randomBytes(5).toString('hex');
  const base = new URL(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULTS.databaseUrl);
  base.pathname = `/cosmolocal_test_${id}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: base.toString(),
    REDIS_URL: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? DEFAULTS.redisUrl,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    COSMOLOCAL_NAMESPACE: `test_${id}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    AUTH_RATE_LIMIT: '10000',
    DB_POOL_SIZE: '10',
  });
  return { ...config, ...overrides };
}
