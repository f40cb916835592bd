import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';

describe('GET /health', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 200 naming database, redis and every service', async () => {
    const answer = await t.http.get('/health');
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('ok');
    for (const part of ['database', 'redis', 'commons', 'fabrication', 'production', 'council']) {
      expect(answer.body.details[part]).toMatchObject({ status: 'up' });
    }
    expect(answer.body.down).toEqual([]);
  });

  it('answers 503 naming the service that stopped answering', async () => {
    await t.system.stop('council');
    const answer = await t.http.get('/health');
    expect(answer.status).toBe(503);
    expect(answer.body.status).toBe('error');
    expect(answer.body.down).toEqual(['council']);
    expect(answer.body.details.council.status).toBe('down');
    expect(answer.body.details.commons.status).toBe('up');
  });
});
