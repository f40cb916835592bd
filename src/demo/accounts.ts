import pg from 'pg';
import type { DemoContext } from './context.js';
import { DOMAIN } from './context.js';
import type { DemoClient } from './demo-client.js';

export interface Person {
  accountId: string;
  email: string;
  displayName: string;
  token?: string;
}

export async function register(client: DemoClient, password: string, local: string, displayName: string): Promise<Person> {
  const email = `${local}@${DOMAIN}`.toLowerCase();
  const answer = await client.post<{ id: string }>('/auth/register', { email, password, displayName });
  return { accountId: answer.body.id, email, displayName };
}

export async function login(client: DemoClient, password: string, email: string): Promise<string> {
  const answer = await client.post<{ accessToken: string }>('/auth/login', { email, password });
  return answer.body.accessToken;
}

/** A person's token, signing in once. */
export async function tokenOf(ctx: Pick<DemoContext, 'client' | 'password'>, person: Person): Promise<string> {
  person.token ??= await login(ctx.client, ctx.password, person.email);
  return person.token;
}

/**
 * Platform-admin rights as `npm run cli -- grant-admin` gives them: straight in the gateway's
 * table (no HTTP route grants them, by design). They take effect at the next login.
 */
export async function grantPlatformAdmin(databaseUrl: string, email: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query('UPDATE gateway.accounts SET platform_admin = true WHERE email = $1', [email]);
    if (!result.rowCount) throw new Error(`no account ${email} in the database at ${redact(databaseUrl)}: is the demo talking to the system that uses it?`);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

const FIRST: Record<string, string[]> = {
  'ile-de-france': ['Amina', 'Louis', 'Chloé', 'Karim', 'Léa', 'Mamadou', 'Inès', 'Hugo', 'Fatou', 'Jules', 'Yasmine', 'Théo', 'Awa', 'Nathan', 'Sarah', 'Bilal'],
  'sao-paulo': ['Ana', 'João', 'Beatriz', 'Lucas', 'Mariana', 'Gabriel', 'Juliana', 'Rafael', 'Camila', 'Thiago', 'Larissa', 'Pedro', 'Fernanda', 'Mateus', 'Aline', 'Diego'],
};
const LAST: Record<string, string[]> = {
  'ile-de-france': ['Martin', 'Diallo', 'Bernard', 'Haddad', 'Moreau', 'Traoré', 'Lefebvre', 'Benali', 'Nguyen', 'Rousseau', 'Camara', 'Fontaine'],
  'sao-paulo': ['Silva', 'Santos', 'Oliveira', 'Souza', 'Lima', 'Pereira', 'Ferreira', 'Costa', 'Rodrigues', 'Almeida', 'Nascimento', 'Carvalho'],
};

/** A made-up name for the i-th community member of a region (first and last names cycle out of step). */
export function personName(region: string, i: number): string {
  const first = FIRST[region] ?? FIRST['ile-de-france']!;
  const last = LAST[region] ?? LAST['ile-de-france']!;
  return `${first[i % first.length]} ${last[(i * 7 + Math.floor(i / first.length)) % last.length]}`;
}
