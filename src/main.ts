import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '#libs/config/src/index.js';
import { ensureLocalServices } from './local-services.js';
import { parseServiceList, type RunningSystem, startSystem } from './system.js';

/**
 * `npm start` runs every app in this one process (the single-machine default);
 * `npm run start:<app>` runs one, against the same PostgreSQL and Redis, to scale out.
 */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const services = parseServiceList(process.argv.slice(2));
  await ensureLocalServices(config, (line) => console.log(`cosmolocal: ${line}`));
  const system = await startSystem(config, { services });
  console.log(
    `cosmolocal: running ${services.join(', ')}` +
      (system.url ? ` — API on http://localhost:${config.port}, docs at http://localhost:${config.port}/docs` : ''),
  );
  installSignalHandlers(system);
}

function installSignalHandlers(system: RunningSystem): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`cosmolocal: ${signal} received, shutting down`);
    const force = setTimeout(() => process.exit(1), 15000);
    force.unref();
    system.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('cosmolocal: error during shutdown', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`cosmolocal: configuration error: ${error.message}`);
  } else {
    console.error(`cosmolocal: cannot start: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.LOG_LEVEL === 'debug' && error instanceof Error) console.error(error.stack);
  }
  process.exit(1);
});
