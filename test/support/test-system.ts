import pg from 'pg';
import type { AppConfig } from '#libs/config/src/index.js';
import type { ServiceName } from '#libs/contracts/src/index.js';
import { dropDatabase } from '#libs/database/src/index.js';
import { type RunningSystem, startSystem } from '../../src/system.js';
import { HttpClient } from '#libs/testing/src/http-client.js';
import { testConfig } from '#libs/testing/src/test-config.js';

export interface TestSystem {
  config: AppConfig;
  system: RunningSystem;
  http: HttpClient;
  /** A direct connection to the run's database, for checking what was (not) written. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Registers and logs in a person; returns their token and account id. */
  signUp(name?: string): Promise<{ token: string; accountId: string; email: string }>;
  /** Makes an account a platform admin and returns a fresh token carrying that. */
  makePlatformAdmin(email: string): Promise<string>;
  close(): Promise<void>;
}

let counter = 0;

/** Boots the all-in-one system on a free port against a fresh database and namespace. */
export async function startTestSystem(
  options: { services?: ServiceName[]; config?: Partial<AppConfig> } = {},
): Promise<TestSystem> {
  const config = testConfig(options.config);
  const system = await startSystem(config, { services: options.services, port: 0, host: '127.0.0.1' });
  const http = new HttpClient(system.url ?? 'http://127.0.0.1:1');
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 3 });
  // pool.end() resolves once its clients are told to end, not once their backends are gone; the
  // database's DROP … WITH (FORCE) right after can then terminate one (57P01), which an idle
  // client reports as a pool 'error'. Unheard, that error failed whichever test ran last.
  pool.on('error', () => undefined);
  const password = 'correct horse battery staple';

  const login = async (email: string) => {
    const answer = await http.post('/auth/login', { email, password });
    if (answer.status !== 200) throw new Error(`login failed: ${answer.text}`);
    return answer.body.accessToken as string;
  };

  return {
    config,
    system,
    http,
    async sql(text, params) {
      return (await pool.query(text, params as unknown[])).rows;
    },
    async signUp(name) {
      const n = name ?? `person${++counter}`;
      const email = `${n}-${Math.random().toString(36).slice(2, 8)}@example.org`.toLowerCase();
      const answer = await http.post('/auth/register', { email, password, displayName: n });
      if (answer.status !== 201) throw new Error(`register failed: ${answer.text}`);
      return { token: await login(email), accountId: answer.body.id, email };
    },
    async makePlatformAdmin(email) {
      await pool.query('UPDATE gateway.accounts SET platform_admin = true WHERE email = $1', [email]);
      return login(email);
    },
    async close() {
      await system.close();
      await pool.end();
      await dropDatabase(config.databaseUrl);
    },
  };
}
