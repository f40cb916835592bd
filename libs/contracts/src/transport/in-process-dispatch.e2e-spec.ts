import { Redis } from 'ioredis';
import { startTestSystem, type TestSystem } from '../../../../test/support/test-system.js';
import { localDispatch, redisConnectionOptions } from './namespaced-redis.js';

/**
 * A service in the caller's process is answered without the Redis round trip; the answer must
 * be exactly what the same request gets over Redis (JSON both ways, the server's pipes and
 * filters), and a service in another process (here: with in-process dispatch off) is still
 * reached over Redis.
 */
describe('in-process dispatch of the service transport', () => {
  let t: TestSystem;
  let listener: Redis;
  const published: string[] = [];

  beforeAll(async () => {
    t = await startTestSystem({ services: ['gateway', 'commons'] });
    listener = new Redis({ ...redisConnectionOptions(t.config.redisUrl), lazyConnect: true });
    await listener.connect();
    listener.on('pmessage', (_pattern: string, channel: string) => published.push(channel));
    await listener.psubscribe(`${t.config.namespace}:*`);
  });

  afterAll(async () => {
    localDispatch.enabled = true;
    listener.disconnect();
    await t.close();
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

  async function requests(): Promise<{ ok: unknown; missing: unknown; bad: unknown; channels: string[] }> {
    published.length = 0;
    const designer = await t.signUp('dispatch');
    const created = await t.http.post(
      '/designs',
      { title: 'Tube clamp', function: 'Clamps a tube', license: 'CERN-OHL-S-2.0', requirements: [] },
      { token: designer.token },
    );
    expect(created.status).toBe(201);
    const ok = await t.http.get(`/designs/${created.body.id}`);
    const missing = await t.http.get('/designs/no-such-design');
    const bad = await t.http.post('/designs', { title: 'x', function: 'y', license: 'CC-BY-NC-4.0' }, { token: designer.token });
    await settle();
    const strip = (body: Record<string, unknown>) => ({ ...body, id: undefined, slug: undefined, createdAt: undefined, updatedAt: undefined, versions: undefined, maintainers: undefined });
    return {
      ok: { status: ok.status, keys: Object.keys(strip(ok.body)).sort(), title: ok.body.title, createdAtType: typeof ok.body.createdAt },
      missing: { status: missing.status, body: missing.body },
      bad: { status: bad.status, body: bad.body },
      channels: [...published],
    };
  }

  it('answers a co-located service in process, with the same answers as over Redis', async () => {
    const inProcess = await requests();
    expect(inProcess.channels.filter((c) => c.includes('commons.'))).toEqual([]);

    localDispatch.enabled = false;
    const overRedis = await requests();
    localDispatch.enabled = true;
    expect(overRedis.channels.some((c) => c.includes('commons.'))).toBe(true);

    expect(inProcess.ok).toEqual(overRedis.ok);
    expect(inProcess.missing).toEqual(overRedis.missing);
    expect(inProcess.bad).toEqual(overRedis.bad);
    expect(inProcess.missing).toMatchObject({ status: 404 });
    expect(inProcess.bad).toMatchObject({ status: 422 });
  });
});
