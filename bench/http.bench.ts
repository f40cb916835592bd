import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { dropDatabase } from '#libs/database/src/index.js';
import { HttpClient, testConfig } from '#libs/testing/src/index.js';
import { startSystem } from '../src/system.js';
import { load, round } from './support/load.js';

@Controller()
class BareController {
  @Get('bare')
  bare(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

export interface HttpBenchResult {
  bareRps: number;
  routeRps: number;
  ratio: number;
  route: string;
  bareP95Ms: number;
  routeP95Ms: number;
  /** CPU of this process per request (load generated in another process). */
  bareCpuMsPerRequest: number;
  routeCpuMsPerRequest: number;
}

/**
 * One of our read routes against a bare Nest route, same machine, same load, same run: the
 * ratio is what our stack (auth guard, validation, the transport hop to a service, the
 * database read, problem-details plumbing) costs over Nest itself.
 */
export async function runHttpBench(options: { durationSeconds?: number; connections?: number } = {}): Promise<HttpBenchResult> {
  const durationSeconds = options.durationSeconds ?? 5;
  const connections = options.connections ?? 10;

  const bare = await NestFactory.create(BareModule, { logger: false });
  await bare.listen(0, '127.0.0.1');
  const barePort = (bare.getHttpServer().address() as { port: number }).port;
  await load({ url: `http://127.0.0.1:${barePort}/bare`, durationSeconds: 1, connections });
  const bareResult = await load({ url: `http://127.0.0.1:${barePort}/bare`, durationSeconds, connections });
  await bare.close();

  const config = testConfig();
  const system = await startSystem(config, { port: 0, host: '127.0.0.1' });
  try {
    const http = new HttpClient(system.url!);
    const route = await prepareRoute(http);
    await load({ url: system.url + route.path, headers: route.headers, durationSeconds: 1, connections });
    const routeResult = await load({ url: system.url + route.path, headers: route.headers, durationSeconds, connections });
    if (routeResult.non2xx || routeResult.errors) throw new Error(`route answered ${routeResult.non2xx} non-2xx and ${routeResult.errors} errors`);
    return {
      bareRps: bareResult.rps,
      routeRps: routeResult.rps,
      ratio: round(routeResult.rps / bareResult.rps, 3),
      route: route.label,
      bareP95Ms: bareResult.p95Ms,
      routeP95Ms: routeResult.p95Ms,
      bareCpuMsPerRequest: bareResult.cpuMsPerRequest,
      routeCpuMsPerRequest: routeResult.cpuMsPerRequest,
    };
  } finally {
    await system.close();
    await dropDatabase(config.databaseUrl);
  }
}

/** A public read that crosses the transport to a service and reads PostgreSQL. */
async function prepareRoute(http: HttpClient): Promise<{ path: string; label: string; headers?: Record<string, string> }> {
  const email = 'bench@example.org';
  const password = 'correct horse battery staple';
  await http.post('/auth/register', { email, password, displayName: 'Bench' });
  const token = (await http.post('/auth/login', { email, password })).body.accessToken as string;
  return { path: '/me', label: 'GET /me (JWT, accounts read)', headers: { authorization: `Bearer ${token}` } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runHttpBench().then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
