import { ClientRedis, ServerRedis, type RedisOptions } from '@nestjs/microservices';

/**
 * Nest's Redis transport uses the message pattern itself as the pub/sub channel, and Redis
 * pub/sub ignores database numbers: two deployments on one Redis (a dev system and a test
 * run) would answer each other's requests. Prefixing every pattern with the deployment's
 * namespace keeps them apart. normalizePattern is the single point both the client and the
 * server route through; it must stay idempotent because the server normalises twice.
 */
function prefixed(namespace: string, route: string): string {
  const prefix = `${namespace}:`;
  return route.startsWith(prefix) ? route : prefix + route;
}

export class NamespacedServerRedis extends ServerRedis {
  constructor(
    private readonly namespace: string,
    options: NonNullable<RedisOptions['options']>,
  ) {
    super(options);
  }

  protected override normalizePattern(pattern: Parameters<ServerRedis['normalizePattern']>[0]): string {
    return prefixed(this.namespace, super.normalizePattern(pattern));
  }
}

export class NamespacedClientRedis extends ClientRedis {
  constructor(options: NonNullable<RedisOptions['options']> & { namespace: string }) {
    super(options);
  }

  protected override normalizePattern(pattern: Parameters<ClientRedis['normalizePattern']>[0]): string {
    const namespace = (this.options as { namespace: string }).namespace;
    return prefixed(namespace, super.normalizePattern(pattern));
  }
}

/** ioredis connection options from a redis:// URL. */
export function redisConnectionOptions(url: string): {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: Record<string, never>;
} {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db !== undefined && !Number.isNaN(db) ? { db } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
