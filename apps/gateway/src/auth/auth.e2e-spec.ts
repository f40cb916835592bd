import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';

describe('accounts: register, login, me', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem();
  });
  afterAll(async () => {
    await t?.close();
  });

  const password = 'correct horse battery staple';

  it('registers, logs in and answers /me', async () => {
    const reg = await t.http.post('/auth/register', { email: ' Ada@Example.org ', password, displayName: 'Ada' });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ email: 'ada@example.org', displayName: 'Ada', platformAdmin: false });
    expect(reg.body).not.toHaveProperty('passwordHash');

    const login = await t.http.post('/auth/login', { email: 'ada@example.org', password });
    expect(login.status).toBe(200);
    expect(login.body.tokenType).toBe('Bearer');

    const me = await t.http.get('/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: reg.body.id, email: 'ada@example.org' });
  });

  it('stores a memory-hard hash, never the password', async () => {
    const rows = await t.sql<{ password_hash: string }>(`SELECT password_hash FROM gateway.accounts WHERE email = 'ada@example.org'`);
    expect(rows[0]!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(rows[0]!.password_hash).not.toContain(password);
  });

  it('answers 401 problem details on /me without a valid token', async () => {
    for (const token of [undefined, 'not-a-jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad']) {
      const me = await t.http.get('/me', { token });
      expect(me.status).toBe(401);
      expect(me.headers.get('content-type')).toContain('application/problem+json');
      expect(me.body).toMatchObject({ status: 401, title: 'Not signed in' });
    }
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const wrong = await t.http.post('/auth/login', { email: 'ada@example.org', password: 'wrong password!!' });
    const unknown = await t.http.post('/auth/login', { email: 'nobody@example.org', password });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it('answers 409 for a duplicate email, whatever its case', async () => {
    const dup = await t.http.post('/auth/register', { email: 'ADA@example.org', password, displayName: 'Other' });
    expect(dup.status).toBe(409);
    expect(dup.headers.get('content-type')).toContain('application/problem+json');
    expect(dup.body.detail).toContain('ada@example.org');
  });

  it('makes exactly one account out of 10 concurrent registrations of one email', async () => {
    const email = 'race@example.org';
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => t.http.post('/auth/register', { email, password, displayName: `Racer ${i}` })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(9);
    const rows = await t.sql(`SELECT id FROM gateway.accounts WHERE email = $1`, [email]);
    expect(rows).toHaveLength(1);
  });

  it.each([
    ['a bad email', { email: 'not-an-email', password, displayName: 'X' }, 'email'],
    ['a short password', { email: 'x@example.org', password: 'short', displayName: 'X' }, 'password'],
    ['an empty name', { email: 'x@example.org', password, displayName: '  ' }, 'displayName'],
    ['an unknown field', { email: 'x@example.org', password, displayName: 'X', admin: true }, 'admin'],
    ['a wrong type', { email: 'x@example.org', password: 12345678901, displayName: 'X' }, 'password'],
  ])('answers 400 with field errors for %s, and writes nothing', async (_label, body, field) => {
    const before = await t.sql(`SELECT count(*)::int AS n FROM gateway.accounts`);
    const answer = await t.http.post('/auth/register', body);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    const after = await t.sql(`SELECT count(*)::int AS n FROM gateway.accounts`);
    expect(after).toEqual(before);
  });
});

describe('rate limiting on the auth routes', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ config: { authRateLimit: 3, authRateWindowSeconds: 60 } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 429 problem details past the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await t.http.post('/auth/login', { email: 'a@example.org', password: 'whatever-long' })).status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    const limited = await t.http.post('/auth/login', { email: 'a@example.org', password: 'whatever-long' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
  });
});
