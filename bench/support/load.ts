import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /**
   * CPU time of this process (the system under test: every thread of it) per answered request.
   * Steadier than latency on a shared host, whose speed drifts: what a request costs us.
   */
  cpuMsPerRequest: number;
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
  /** Offered load over all connections, requests per second; absent: as fast as they go. */
  ratePerSecond?: number;
  /** With ratePerSecond: evenly spaced, open-loop requests timed from when each was due (paced-load.ts). */
  paced?: boolean;
}

export interface LoadRequest extends LoadOptions {
  connections: number;
  durationSeconds: number;
}

export interface RawLoadFigures {
  /** Response times of the 2xx answers, ms. */
  times: number[];
  seconds: number;
  errors: number;
  non2xx: number;
}

/**
 * HTTP load with autocannon in a process of its own (so the system's CPU figures are its own),
 * keeping every response time so p50/p95 are exact percentiles (autocannon's own summary has
 * no p95). Always on loopback: the server under test is ours.
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error('benchmarks only target loopback');
  const request: LoadRequest = { ...options, connections: options.connections ?? 10, durationSeconds: options.durationSeconds ?? 5 };
  const cpu0 = process.cpuUsage();
  const raw = await new Promise<RawLoadFigures>((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./load-worker.js', import.meta.url)), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let figures: RawLoadFigures | undefined;
    child.once('message', (message) => (figures = message as RawLoadFigures));
    child.once('error', reject);
    child.once('exit', (code) => (figures && code === 0 ? resolve(figures) : reject(new Error(`load process exited with ${code}`))));
    child.send(request);
  });
  const cpu = process.cpuUsage(cpu0);
  const times = Float64Array.from(raw.times).sort();
  return {
    requests: times.length,
    rps: round(times.length / raw.seconds),
    p50Ms: round(percentile(times, 50)),
    p95Ms: round(percentile(times, 95)),
    p99Ms: round(percentile(times, 99)),
    errors: raw.errors,
    non2xx: raw.non2xx,
    cpuMsPerRequest: times.length ? round((cpu.user + cpu.system) / 1000 / times.length, 3) : Number.NaN,
  };
}

/** The nearest-rank percentile of sorted values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
