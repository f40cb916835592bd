import { Redis, type RedisOptions } from 'ioredis';
import { redisConnectionOptions } from '#libs/contracts/src/index.js';

/** Where BullMQ lives for one deployment: the Redis URL and the namespace its keys go under. */
export interface QueueConnection {
  redisUrl: string;
  namespace: string;
}

/** The same key prefix as QueuesModule, so Nest's BullModule, Bull Board and the relay agree. */
export function bullPrefix(namespace: string): string {
  return `${namespace}:bull`;
}

/** BullMQ wants `maxRetriesPerRequest: null` on worker connections: commands wait out a Redis restart. */
export function bullConnectionOptions(redisUrl: string): RedisOptions {
  return { ...redisConnectionOptions(redisUrl), maxRetriesPerRequest: null, enableReadyCheck: true };
}

export function createRedis(redisUrl: string, extra: RedisOptions = {}): Redis {
  return new Redis({ ...bullConnectionOptions(redisUrl), ...extra });
}
