import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

/** Runs the built launcher the way `npm start` does (npm test builds first). */
const launch = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['dist/src/main.js'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30000,
  });

describe('start-up configuration', () => {
  it('has a built launcher to run', () => {
    expect(existsSync('dist/src/main.js')).toBe(true);
  });

  it.each([
    ['PORT', 'not-a-port'],
    ['DATABASE_URL', 'http://example.org/db'],
    ['REDIS_URL', 'nonsense'],
  ])('stops with one clear line naming %s when it is malformed', (variable, value) => {
    const run = launch({ [variable]: value });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^cosmolocal: configuration error: ${variable} `));
  });

  it('refuses an unknown service name', () => {
    const run = spawnSync(process.execPath, ['dist/src/main.js', 'kitchen'], {
      env: { PATH: process.env.PATH ?? '', JWT_SECRET: 'x'.repeat(40) },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('unknown service kitchen');
  });
});
