import http from 'node:http';
import type { LoadRequest, RawLoadFigures } from './load.js';

/**
 * Open-loop load: request i leaves at start + i / rate whatever the answers before it, over at
 * most `connections` keep-alive sockets, and its time counts from when it was due, not from
 * when a socket was free (wrk2's correction for coordinated omission). autocannon's own rate
 * limit sends each second's quota in a burst and waits on slow answers, which measures its
 * bursts, not the latency a steady stream of callers sees.
 */
export async function pacedLoad(request: LoadRequest & { ratePerSecond: number }): Promise<RawLoadFigures> {
  const url = new URL(request.url);
  const paths = request.paths?.length ? request.paths : [url.pathname + url.search];
  const agent = new http.Agent({ keepAlive: true, maxSockets: request.connections });
  const total = request.amount ?? Math.round(request.ratePerSecond * request.durationSeconds);
  const interval = 1000 / request.ratePerSecond;
  const times: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      new Promise<void>((resolve) => {
        const req = http.get(
          { agent, host: url.hostname, port: url.port, path: paths[i % paths.length], headers: request.headers },
          (res) => {
            res.resume();
            res.on('end', () => {
              if (res.statusCode! >= 200 && res.statusCode! < 300) times.push(performance.now() - due);
              else non2xx++;
              resolve();
            });
          },
        );
        req.on('error', () => {
          errors++;
          resolve();
        });
      }),
    );
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return { times, seconds, errors, non2xx };
}
