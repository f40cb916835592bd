import { ClientRedis, type ReadPacket, RedisContext, type RedisOptions, ServerRedis, type WritePacket } from '@nestjs/microservices';

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

/**
 * Servers of this process by namespace. When a service runs in the same process as its caller
 * (the all-in-one `npm start`, the tests), a request is answered in process instead of making
 * two trips through Redis pub/sub: the hop was most of a read's cost on a small machine
 * (publish, subscribe delivery and reply are each a syscall and a Redis command). The packet
 * still goes through JSON both ways and the server's own request path (pipes, filters,
 * interceptors, processing hooks), so a caller sees exactly what it would over Redis. A
 * service in another process is reached over Redis as before.
 */
const localServers = new Map<string, Set<NamespacedServerRedis>>();

/** Off only to measure the Redis hop itself (bench); on everywhere else. */
export const localDispatch = { enabled: true };

const viaJson = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

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

  /**
   * Nest tries JSON.parse on every pattern before using it as a route, so each of our plain
   * string patterns threw and caught a SyntaxError per message and per server asked: ~2% of a
   * read's CPU. A pattern that cannot be JSON skips the attempt; the outcome is the same.
   */
  override getRouteFromPattern(pattern: string): string {
    const first = pattern.charCodeAt(0);
    // '{' and '"' open the JSON a pattern object or string would be serialised to.
    return first === 123 || first === 34 ? super.getRouteFromPattern(pattern) : this.normalizePattern(pattern);
  }

  // Registered once subscribed, so a service answers in process exactly when it would over Redis.
  override bindEvents(...args: Parameters<ServerRedis['bindEvents']>): void {
    super.bindEvents(...args);
    const servers = localServers.get(this.namespace) ?? new Set();
    servers.add(this);
    localServers.set(this.namespace, servers);
  }

  override async close(): Promise<void> {
    localServers.get(this.namespace)?.delete(this);
    await super.close();
  }

  /** Answers a request of this process when one of this server's handlers owns the channel. */
  answerInProcess(channel: string, packet: ReadPacket, respond: (packet: WritePacket) => void): boolean {
    const handler = this.getHandlerByPattern(channel);
    if (!handler || handler.isEventHandler) return false;
    const data = viaJson(packet.data);
    const context = new RedisContext([channel, undefined]);
    this.handleRequest(context, async () => this.transformToObservable(await handler(data, context)), (reply) => respond(viaJson(reply)));
    return true;
  }

  static inProcess(namespace: string): Iterable<NamespacedServerRedis> {
    return localServers.get(namespace) ?? [];
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

  protected override publish(partialPacket: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    if (localDispatch.enabled) {
      const channel = this.normalizePattern(partialPacket.pattern);
      let cancelled = false;
      const respond = (packet: WritePacket) => {
        if (!cancelled) callback(packet);
      };
      for (const server of NamespacedServerRedis.inProcess((this.options as { namespace: string }).namespace)) {
        if (server.answerInProcess(channel, partialPacket, respond)) {
          return () => {
            cancelled = true;
          };
        }
      }
    }
    return super.publish(partialPacket, callback);
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
