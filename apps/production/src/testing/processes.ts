import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Helpers for tests that run real processes: a compiled connector, a private redis-server. */

const ROOT = process.cwd();
export const CONNECTOR_MAIN = join(ROOT, 'dist/apps/production/src/connectors/connector.main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * `npm test` builds dist before Jest; run alone, a test that spawns the connector builds it
 * when dist is missing or older than the sources it runs (tsc emits even when another part of
 * the repository does not typecheck).
 */
export function ensureConnectorBuilt(): void {
  const sources = Math.max(
    ...['apps/production/src', 'libs/outbox/src', 'libs/contracts/src', 'libs/database/src'].map((d) => newestSource(join(ROOT, d))),
  );
  if (existsSync(CONNECTOR_MAIN) && statSync(CONNECTOR_MAIN).mtimeMs >= sources) return;
  try {
    execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  } catch {
    // Type errors elsewhere do not stop the emit; a missing file below does.
  }
  if (!existsSync(CONNECTOR_MAIN)) throw new Error(`could not build ${CONNECTOR_MAIN}: run npm run build`);
}

export interface Spawned {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts a process and resolves once it printed `readyLine`. */
export async function spawnUntil(command: string, args: string[], env: Record<string, string>, readyLine: string, timeoutMs = 30_000): Promise<Spawned> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not print "${readyLine}" in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(readyLine)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!out.includes(readyLine)) reject(new Error(`${command} exited with ${code} before it was ready:\n${out}`));
    });
  });
  return { child, output: () => out, exited };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server of the test's own, keeping nothing on disk: killing it loses everything. */
export function startRedis(port: number): Promise<Spawned> {
  return spawnUntil(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', '/tmp', '--loglevel', 'notice'],
    {},
    'Ready to accept connections',
  );
}
