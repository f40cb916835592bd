import { describe, expect, it } from '@jest/globals';
import { NamespacedClientRedis, NamespacedServerRedis, redisConnectionOptions } from './namespaced-redis.js';

describe('namespaced Redis transport', () => {
  it('prefixes patterns once, on both sides, so client and server meet on the same channel', () => {
    const server = new NamespacedServerRedis('dev', { host: '127.0.0.1', port: 6379 });
    const client = new NamespacedClientRedis({ host: '127.0.0.1', port: 6379, namespace: 'dev' });
    const s = (p: string) => (server as unknown as { normalizePattern(p: string): string }).normalizePattern(p);
    const c = (p: string) => (client as unknown as { normalizePattern(p: string): string }).normalizePattern(p);
    expect(s('commons.health.ping')).toBe('dev:commons.health.ping');
    expect(c('commons.health.ping')).toBe('dev:commons.health.ping');
    expect(s(s('commons.health.ping'))).toBe('dev:commons.health.ping');
  });

  it('reads connection options from a URL', () => {
    expect(redisConnectionOptions('redis://127.0.0.1:6380')).toEqual({ host: '127.0.0.1', port: 6380 });
    expect(redisConnectionOptions('rediss://u:p%40ss@cache.example:6390/2')).toEqual({
      host: 'cache.example',
      port: 6390,
      username: 'u',
      password: 'p@ss',
      db: 2,
      tls: {},
    });
  });
});
