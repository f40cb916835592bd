import { execSync } from 'node:child_process';
import os from 'node:os';

/** What the figures were measured on, in one line for the README. */
export function describeMachine(): string {
  const cpu = os.cpus()[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const version = (cmd: string) => {
    try {
      return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0];
    } catch {
      return undefined;
    }
  };
  const pg = version('psql --version')?.replace(/^psql \(PostgreSQL\) /, 'PostgreSQL ');
  const redis = version('redis-server --version')?.match(/v=(\S+)/)?.[1];
  return [
    `${os.cpus().length} × ${cpu}`,
    `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    `Node ${process.version}`,
    pg,
    redis ? `Redis ${redis}` : undefined,
    `${os.type()} ${os.release()}`,
  ]
    .filter(Boolean)
    .join(', ');
}
