import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, validateEnvironment } from './environment.js';

export type NodeEnv = 'development' | 'production' | 'test';

/** The validated, typed configuration every app receives. */
export interface AppConfig {
  nodeEnv: NodeEnv;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  /** Prefix of every Redis channel and queue, so two deployments can share one Redis. */
  namespace: string;
  logLevel: string;
  dbPoolSize: number;
  authRateLimit: number;
  authRateWindowSeconds: number;
  rpcTimeoutMs: number;
}

export const DEFAULTS = {
  port: 3000,
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/cosmolocal',
  redisUrl: 'redis://127.0.0.1:6379',
  jwtTtlSeconds: 3600,
  namespace: 'cosmolocal',
  logLevel: 'info',
  dbPoolSize: 10,
  authRateLimit: 20,
  authRateWindowSeconds: 60,
  rpcTimeoutMs: 5000,
} as const;

export interface LoadConfigOptions {
  /** Where the development JWT secret is kept (ignored by git). */
  stateDir?: string;
}

/**
 * Reads and validates the environment. In development an unset JWT secret is generated once
 * and kept in `.cosmolocal/jwt-secret`, so tokens survive restarts; production must set it.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, options: LoadConfigOptions = {}): AppConfig {
  const v = validateEnvironment(env);
  const nodeEnv = (v.NODE_ENV ?? 'development') as NodeEnv;
  let jwtSecret = v.JWT_SECRET;
  if (!jwtSecret) {
    if (nodeEnv === 'production') {
      throw new ConfigError('JWT_SECRET', 'JWT_SECRET is required when NODE_ENV=production (at least 32 characters)');
    }
    jwtSecret = developmentSecret(options.stateDir ?? join(process.cwd(), '.cosmolocal'));
  }
  return {
    nodeEnv,
    port: v.PORT ?? DEFAULTS.port,
    databaseUrl: v.DATABASE_URL ?? DEFAULTS.databaseUrl,
    redisUrl: v.REDIS_URL ?? DEFAULTS.redisUrl,
    jwtSecret,
    jwtTtlSeconds: v.JWT_TTL_SECONDS ?? DEFAULTS.jwtTtlSeconds,
    namespace: v.COSMOLOCAL_NAMESPACE ?? DEFAULTS.namespace,
    logLevel: v.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : DEFAULTS.logLevel),
    dbPoolSize: v.DB_POOL_SIZE ?? DEFAULTS.dbPoolSize,
    authRateLimit: v.AUTH_RATE_LIMIT ?? DEFAULTS.authRateLimit,
    authRateWindowSeconds: v.AUTH_RATE_WINDOW_SECONDS ?? DEFAULTS.authRateWindowSeconds,
    rpcTimeoutMs: v.RPC_TIMEOUT_MS ?? DEFAULTS.rpcTimeoutMs,
  };
}

function developmentSecret(dir: string): string {
  const file = join(dir, 'jwt-secret');
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 32) return kept;
  }
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
