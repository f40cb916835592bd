import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';

describe('the HTTP surface', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves OpenAPI 3 at /docs-json and Swagger UI at /docs', async () => {
    const spec = await t.http.get('/docs-json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/health', '/auth/register', '/auth/login', '/me']));
    expect(spec.body.components.schemas).toHaveProperty('ProblemDetailsDto');
    const ui = await t.http.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });

  it('answers malformed JSON with 400 problem details and writes nothing', async () => {
    const answer = await t.http.post('/auth/register', undefined, { raw: '{"email": "a@b.org",', contentType: 'application/json' });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ status: 400, title: 'The request body cannot be read', instance: '/auth/register' });
    expect(await t.sql(`SELECT 1 FROM gateway.accounts`)).toHaveLength(0);
  });

  it('answers an unknown route with 404 problem details', async () => {
    const answer = await t.http.get('/no/such/route');
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.detail).toContain('/no/such/route');
  });

  it('answers a body that is not an object with 400, not 500', async () => {
    for (const raw of ['[]', '"text"', '42', 'null']) {
      const answer = await t.http.post('/auth/register', undefined, { raw, contentType: 'application/json' });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});
