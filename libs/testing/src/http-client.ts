/** A small HTTP client for e2e tests: fetch, with JSON in and out and the raw text kept. */
export interface HttpAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  apiKey?: string;
  headers?: Record<string, string>;
  /** A raw body (string) sent as is, with its own content type. */
  raw?: string;
  contentType?: string;
}

/** The fetch init of a call: JSON body (or a raw one with its media type), token or API key. */
export function requestInit(method: string, body: unknown, options: RequestOptions = {}): RequestInit {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.apiKey) headers['x-api-key'] = options.apiKey;
  let payload: string | undefined;
  if (options.raw !== undefined) {
    payload = options.raw;
    headers['content-type'] = options.contentType ?? 'application/json';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  return { method, headers, body: payload };
}

/** JSON when the answer says so and parses; the text otherwise (a problem page, a YAML export). */
export function parseBody(response: Response, text: string): unknown {
  if (!text || !(response.headers.get('content-type') ?? '').includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class HttpClient {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<HttpAnswer<T>> {
    const response = await fetch(this.baseUrl + path, requestInit(method, body, options));
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: parseBody(response, text) as T, text };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, undefined, options);
  }
  post<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, body, options);
  }
  put<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, body, options);
  }
  patch<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, body, options);
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, undefined, options);
  }
}
