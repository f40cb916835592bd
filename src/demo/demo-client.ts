/**
 * The demo speaks to Cosmolocal only through its public HTTP API, as a newcomer's scripts
 * would: fetch, JSON in and out, RFC 9457 problem details turned into errors that say which
 * call failed and why.
 */
import { parseBody, type RequestOptions, requestInit } from '#libs/testing/src/http-client.js';

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly problem: Problem | string,
  ) {
    const p = typeof problem === 'string' ? { detail: problem.slice(0, 300) } : problem;
    super(`${method} ${path} answered ${status}${p.title ? ` ${p.title}` : ''}${p.detail ? `: ${p.detail}` : ''}`);
  }
}

export interface CallOptions extends RequestOptions {
  body?: unknown;
  /** Statuses that are answers, not errors (default: any 2xx). */
  accept?: number[];
}

export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

export class DemoClient {
  /** How many calls were made, and how long the gateway made us wait (rate limits). */
  calls = 0;
  waitedMs = 0;

  constructor(
    readonly baseUrl: string,
    private readonly onWait: (seconds: number, path: string) => void = () => undefined,
  ) {}

  async call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
    const init = requestInit(method, options.body, { ...options, headers: { accept: 'application/json', ...options.headers } });
    for (let attempt = 0; ; attempt++) {
      this.calls++;
      let response: Response;
      try {
        response = await fetch(this.baseUrl + path, init);
      } catch (error) {
        // A kept-alive connection the server closed as it was reused: a read or a PUT is safe to send again.
        if (attempt < 2 && IDEMPOTENT.has(method) && isConnectionReset(error)) continue;
        throw new Error(`${method} ${path}: ${(error as Error).message}${(error as { cause?: Error }).cause ? ` (${(error as { cause: Error }).cause.message})` : ''}`);
      }
      const body = parseBody(response, await response.text());
      // A running gateway limits sign-ins per address: wait as it says, then go on.
      if (response.status === 429 && attempt < 30) {
        const seconds = Math.max(1, Number(response.headers.get('retry-after')) || 5);
        this.onWait(seconds, path);
        this.waitedMs += seconds * 1000;
        await sleep(seconds * 1000);
        continue;
      }
      const accepted = options.accept ? options.accept.includes(response.status) : response.status >= 200 && response.status < 300;
      if (!accepted) throw new ApiError(method, path, response.status, (body as Problem | string) ?? '');
      return { status: response.status, body: body as T, headers: response.headers };
    }
  }

  get<T = any>(path: string, options?: CallOptions) {
    return this.call<T>('GET', path, options);
  }
  post<T = any>(path: string, body?: unknown, options: CallOptions = {}) {
    return this.call<T>('POST', path, { ...options, ...(body !== undefined ? { body } : {}) });
  }
  put<T = any>(path: string, body?: unknown, options: CallOptions = {}) {
    return this.call<T>('PUT', path, { ...options, ...(body !== undefined ? { body } : {}) });
  }
  delete<T = any>(path: string, options?: CallOptions) {
    return this.call<T>('DELETE', path, options);
  }
}

const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE']);

function isConnectionReset(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET';
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `fn` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
