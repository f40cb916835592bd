import type { AppConfig } from '#libs/config/src/index.js';
import { ensureLocalServices } from '../local-services.js';
import { type RunningSystem, startSystem } from '../system.js';

export interface Connection {
  baseUrl: string;
  /** The system the demo started in this process (closed at the end), or null when one was running. */
  started: RunningSystem | null;
}

/** What GET /health said, or null when nothing answered at all. */
export async function health(baseUrl: string): Promise<{ status: number; down: string[] } | null> {
  try {
    const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json().catch(() => ({}))) as { down?: string[] };
    return { status: response.status, down: body.down ?? [] };
  } catch {
    return null;
  }
}

/**
 * The running system at `baseUrl`, or, when nothing answers there, the whole system started
 * in this process on that port (PostgreSQL and Redis started first if they are local and down).
 * A system that answers but is degraded is an error: the demo would only fail later, less clearly.
 */
export async function connectOrStart(config: AppConfig, baseUrl: string, log: (line: string) => void): Promise<Connection> {
  const answer = await health(baseUrl);
  if (answer?.status === 200) return { baseUrl, started: null };
  if (answer) {
    throw new Error(`the system at ${baseUrl} answers /health with ${answer.status}${answer.down.length ? `: ${answer.down.join(', ')} down` : ''}; fix it or stop it and run the demo again`);
  }
  const url = new URL(baseUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`nothing answers at ${baseUrl}; the demo starts a system only on this machine (127.0.0.1)`);
  }
  log(`nothing answers at ${baseUrl}: starting Cosmolocal in this process`);
  await ensureLocalServices(config, log);
  const system = await startSystem(
    {
      ...config,
      // The demo signs in a few dozen simulated people from one address: its own system lets it.
      authRateLimit: Math.max(config.authRateLimit, 100_000),
      // The report is the output; the services' own logs would drown it.
      logLevel: process.env.LOG_LEVEL ?? 'error',
    },
    { port: Number(url.port || 80), host: '127.0.0.1' },
  );
  return { baseUrl: system.url ?? baseUrl, started: system };
}
