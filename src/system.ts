import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { startCommons } from '#apps/commons/src/bootstrap.js';
import { commonsDatabase } from '#apps/commons/src/commons.database.js';
import { startCouncil } from '#apps/council/src/bootstrap.js';
import { councilDatabase } from '#apps/council/src/council.database.js';
import { startFabrication } from '#apps/fabrication/src/bootstrap.js';
import { fabricationDatabase } from '#apps/fabrication/src/fabrication.database.js';
import { createGateway } from '#apps/gateway/src/bootstrap.js';
import { gatewayDatabase } from '#apps/gateway/src/gateway.database.js';
import { startProduction } from '#apps/production/src/bootstrap.js';
import { productionDatabase } from '#apps/production/src/production.database.js';
import type { AppConfig } from '#libs/config/src/index.js';
import { type BackendService, SERVICE_NAMES, type ServiceName } from '#libs/contracts/src/index.js';
import { type AppDatabaseDefinition, ensureDatabase, runMigrations } from '#libs/database/src/index.js';

/**
 * The launcher's view of the apps: src/ is the only place that knows all of them, so that an
 * app never imports another. Each runs alone as well as together in one process.
 */
export const DATABASES: Record<ServiceName, AppDatabaseDefinition> = {
  gateway: gatewayDatabase,
  commons: commonsDatabase,
  fabrication: fabricationDatabase,
  production: productionDatabase,
  council: councilDatabase,
};

const STARTERS: Record<BackendService, (config: AppConfig) => Promise<INestMicroservice>> = {
  commons: startCommons,
  fabrication: startFabrication,
  production: startProduction,
  council: startCouncil,
};

export function parseServiceList(args: readonly string[]): ServiceName[] {
  const names = args.flatMap((a) => a.split(',')).map((a) => a.trim()).filter(Boolean);
  if (names.length === 0 || names.includes('all')) return [...SERVICE_NAMES];
  const unknown = names.filter((n) => !(SERVICE_NAMES as readonly string[]).includes(n));
  if (unknown.length) {
    throw new Error(`unknown service ${unknown.join(', ')}; choose from ${SERVICE_NAMES.join(', ')} or all`);
  }
  return SERVICE_NAMES.filter((n) => names.includes(n));
}

/** Creates the database if needed and brings each app's schema up to date. */
export async function prepareDatabase(config: AppConfig, services: readonly ServiceName[] = SERVICE_NAMES): Promise<Record<string, string[]>> {
  await ensureDatabase(config.databaseUrl);
  const applied: Record<string, string[]> = {};
  for (const service of services) applied[service] = await runMigrations(DATABASES[service], config.databaseUrl);
  return applied;
}

export interface RunningSystem {
  services: ServiceName[];
  gateway?: INestApplication;
  /** Base URL of the gateway when it listens. */
  url?: string;
  backends: Partial<Record<BackendService, INestMicroservice>>;
  /** Stops one backend service (tests use it to see health turn 503). */
  stop(service: BackendService): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  services?: readonly ServiceName[];
  /** Port to listen on; 0 picks a free one. Defaults to config.port. */
  port?: number;
  host?: string;
  migrate?: boolean;
}

export async function startSystem(config: AppConfig, options: StartOptions = {}): Promise<RunningSystem> {
  const services = [...(options.services ?? SERVICE_NAMES)];
  if (options.migrate !== false) await prepareDatabase(config, services);

  const backends: Partial<Record<BackendService, INestMicroservice>> = {};
  let gateway: INestApplication | undefined;
  let url: string | undefined;
  try {
    for (const service of services) {
      if (service === 'gateway') continue;
      backends[service] = await STARTERS[service](config);
    }
    if (services.includes('gateway')) {
      gateway = await createGateway(config);
      await gateway.listen(options.port ?? config.port, options.host ?? '0.0.0.0');
      const address = gateway.getHttpServer().address() as { port: number };
      url = `http://127.0.0.1:${address.port}`;
    }
  } catch (error) {
    await gateway?.close().catch(() => undefined);
    for (const app of Object.values(backends)) await app.close().catch(() => undefined);
    throw error;
  }

  return {
    services,
    gateway,
    url,
    backends,
    async stop(service) {
      await backends[service]?.close();
      delete backends[service];
    },
    async close() {
      // The gateway first, so no new work arrives while the services drain.
      await gateway?.close();
      for (const app of Object.values(backends)) await app.close();
    },
  };
}
