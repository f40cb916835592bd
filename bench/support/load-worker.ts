import autocannon from 'autocannon';
import type { LoadRequest, RawLoadFigures } from './load.js';
import { pacedLoad } from './paced-load.js';

/**
 * autocannon in its own process: in the system's it would share its event loop (or, in a
 * worker thread, its CPU figures) with the system under test. One request in, figures out.
 */
async function run(request: LoadRequest): Promise<RawLoadFigures> {
  const times: number[] = [];
  let failed = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: request.url,
        connections: request.connections,
        ...(request.amount ? { amount: request.amount } : { duration: request.durationSeconds }),
        ...(request.ratePerSecond ? { overallRate: request.ratePerSecond } : {}),
        ...(request.headers ? { headers: request.headers } : {}),
        ...(request.paths ? { requests: request.paths.map((path) => ({ method: 'GET' as const, path })) } : {}),
      },
      (error: unknown, done: autocannon.Result) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) times.push(responseTime);
      else failed++;
    });
  });
  return {
    times,
    seconds: result.duration || request.durationSeconds || 1,
    errors: result.errors + result.timeouts,
    non2xx: failed,
  };
}

process.once('message', (request: LoadRequest) => {
  (request.paced && request.ratePerSecond ? pacedLoad({ ...request, ratePerSecond: request.ratePerSecond }) : run(request)).then(
    (figures) => process.send!(figures, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
