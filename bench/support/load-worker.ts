import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import type { LoadRequest, RawLoadFigures } from './load.js';

/**
 * autocannon in its own thread: on the main thread it would share the event loop with the
 * system under test, and every figure would include the load generator's own work.
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

run(workerData as LoadRequest).then(
  (figures) => parentPort!.postMessage(figures),
  (error: unknown) => {
    throw error;
  },
);
