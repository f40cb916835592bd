import autocannon from 'autocannon';

export interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export interface LoadOptions {
  url: string;
  /** Paths cycled through by every connection (varied queries); defaults to the url's own. */
  paths?: string[];
  headers?: Record<string, string>;
  connections?: number;
  durationSeconds?: number;
  /** Stop after this many requests instead of the duration. */
  amount?: number;
}

/**
 * HTTP load with autocannon, keeping every response time so p50/p95 are exact percentiles
 * (autocannon's own summary has no p95). Always on loopback: the server under test is ours.
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const times: number[] = [];
  const url = new URL(options.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error('benchmarks only target loopback');
  const requests = options.paths?.map((path) => ({ method: 'GET' as const, path }));
  // The returned instance is both an event emitter and a promise of the summary.
  const instance = autocannon({
    url: options.url,
    connections: options.connections ?? 10,
    ...(options.amount ? { amount: options.amount } : { duration: options.durationSeconds ?? 5 }),
    headers: options.headers,
    ...(requests ? { requests } : {}),
  }) as unknown as Promise<autocannon.Result> & {
    on(event: 'response', listener: (client: unknown, status: number, bytes: number, responseTime: number) => void): void;
  };
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    times.push(responseTime);
  });
  const result = await instance;
  times.sort((a, b) => a - b);
  const pct = (p: number) => (times.length ? times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]! : NaN);
  const seconds = (result.duration ?? options.durationSeconds ?? 1) || 1;
  return {
    requests: times.length,
    rps: round(times.length / seconds),
    p50Ms: round(pct(50)),
    p95Ms: round(pct(95)),
    p99Ms: round(pct(99)),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
