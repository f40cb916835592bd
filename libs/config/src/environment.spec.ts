import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './index.js';

const stateDir = () => mkdtempSync(join(tmpdir(), 'cosmolocal-config-'));

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({}, { stateDir: stateDir() });
    expect(c).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/cosmolocal',
      redisUrl: 'redis://127.0.0.1:6379',
      namespace: 'cosmolocal',
    });
  });

  it('generates a development JWT secret once and keeps it', () => {
    const dir = stateDir();
    const a = loadConfig({}, { stateDir: dir });
    const b = loadConfig({}, { stateDir: dir });
    expect(a.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(b.jwtSecret).toBe(a.jwtSecret);
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8').trim()).toBe(a.jwtSecret);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '3000abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['DATABASE_URL', 'postgres://localhost'],
    ['REDIS_URL', 'localhost:6379'],
    ['JWT_SECRET', 'short'],
    ['NODE_ENV', 'staging'],
    ['COSMOLOCAL_NAMESPACE', 'Bad Name'],
    ['LOG_LEVEL', 'loud'],
    ['DB_POOL_SIZE', '0'],
    ['PRODUCTION_CONNECTORS', 'maybe'],
    ['PRODUCTION_CONNECTOR_BATCH', '25x'],
    ['PRODUCTION_CONNECTOR_REFRESH_MS', '5'],
    ['PRODUCTION_CONNECTOR_MAX_IN_FLIGHT', '0'],
  ])('stops on a malformed %s (%s) with a message naming it', (variable, value) => {
    let caught: unknown;
    try {
      loadConfig({ [variable]: value }, { stateDir: stateDir() });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe(variable);
    expect((caught as ConfigError).message.startsWith(variable + ' ')).toBe(true);
    expect((caught as ConfigError).message).not.toContain('\n');
  });

  it('never prints the JWT secret it refuses', () => {
    expect(() => loadConfig({ JWT_SECRET: 'sekrit' }, { stateDir: stateDir() })).toThrow('(got (hidden))');
  });

  it('requires JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, { stateDir: stateDir() })).toThrow(/JWT_SECRET is required/);
  });
});
