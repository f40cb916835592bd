import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { dropDatabase } from '#libs/database/src/index.js';
import { HttpClient, testConfig } from '#libs/testing/src/index.js';
import { startSystem } from '../src/system.js';
import { mulberry32 } from '#libs/testing/src/prng.js';
import { load, round } from './support/load.js';

export interface MatchingBenchOptions {
  /** Fab units seeded (the real fablabs.io locations, replicated with jitter). */
  units?: number;
  machinesPerUnit?: number;
  durationSeconds?: number;
  /** Concurrent connections of the headline figures (default 10, as the other HTTP bench). */
  connections?: number;
  /** Offered requests per second of the sustained-load measurement (default 200). */
  sustainedRate?: number;
  /** A lighter load measured too (default 2 connections). */
  lightConnections?: number;
  /** Distinct request locations cycled through by autocannon. */
  locations?: number;
  maxDistanceKm?: number;
  seed?: number;
  /** Keep the database afterwards (to look at query plans); its URL is printed. */
  keepDatabase?: boolean;
}

export interface MatchingBenchResult {
  units: number;
  machines: number;
  reservations: number;
  connections: number;
  maxDistanceKm: number;
  requests: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** CPU of the system's process per match at saturation (all its threads; PostgreSQL's not counted). */
  cpuMsPerRequest: number;
  errors: number;
  non2xx: number;
  /** Averages over the request locations, from one answer each: what a match had to weigh. */
  avgUnitsConsidered: number;
  avgMatched: number;
  /** Mean size of an answer's JSON body. */
  avgResponseBytes: number;
  seedSeconds: number;
  /**
   * The same connections offering a fixed rate below saturation: the latency a caller sees at
   * that traffic. At saturation (the headline) latency is connections ÷ throughput by Little's
   * law, so it measures throughput on this machine more than the match's latency.
   */
  sustained: { connections: number; offeredPerSecond: number; rps: number; p50Ms: number; p95Ms: number; p99Ms: number; cpuMsPerRequest: number };
  /** The same routes under a lighter load. */
  light: { connections: number; rps: number; p50Ms: number; p95Ms: number };
  /**
   * Baseline in the same run and load: GET /fab-units/{id}, the cheapest public read that
   * crosses the same gateway and transport. What the stack costs before matching does anything.
   */
  baseline: { route: string; rps: number; p50Ms: number; p95Ms: number; cpuMsPerRequest: number };
}

const MACHINE_KINDS = [
  { process: '3d-printing.fdm', materials: ['pla', 'petg'], envelope: [[180, 180, 180], [250, 210, 220], [350, 350, 400]] },
  { process: '3d-printing.fdm', materials: ['pla', 'abs', 'tpu'], envelope: [[220, 220, 250], [300, 300, 300]] },
  { process: '3d-printing.sla', materials: ['resin'], envelope: [[145, 145, 175], [200, 125, 210]] },
  { process: 'laser-cutting', materials: ['plywood', 'acrylic', 'mdf'], envelope: [[600, 400, 10], [1000, 600, 20], [1300, 900, 25]] },
  { process: 'cnc-milling', materials: ['aluminium', 'hdpe'], envelope: [[400, 300, 100], [800, 500, 150]] },
  { process: 'cnc-routing', materials: ['plywood', 'mdf', 'hdpe'], envelope: [[1220, 2440, 100]] },
  { process: 'vinyl-cutting', materials: ['vinyl'], envelope: [[600, 5000, 1]] },
  { process: 'soldering', materials: [], envelope: [] },
];

const SCHEDULES = [
  { zone: 'Europe/Paris', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ open: '09:00', close: '18:00' }]])) },
  { zone: 'UTC', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '24:00' }]])) },
  { zone: 'America/New_York', hours: Object.fromEntries(['tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [{ open: '10:00', close: '20:00' }]])) },
  { zone: 'Asia/Kolkata', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [{ open: '09:30', close: '13:00' }, { open: '14:00', close: '18:30' }]])) },
];

const STATUSES = ['Active', 'Active', 'Active', 'Active', 'Active', 'Active', 'Active', 'Active', 'Active', 'Temporary Closure', 'Planned', 'Closed'];

/**
 * GET /matches under load over HTTP: 10,000 fab units with 50,000 machines (the 2,237 real
 * fablabs.io locations replicated with seeded jitter), stock and existing reservations, one
 * two-step design version published through the commons routes, and autocannon cycling
 * through 200 varied request locations (within 50 km, needed in two weeks, 5 pieces). The
 * whole path is measured: gateway, transport, the SQL narrowing, the availability computation
 * and the pure engine; then the same under a light load, and the cheapest read route of the
 * same stack under the same load as the baseline. Target: p95 < 25 ms.
 */
export async function runMatchingBench(options: MatchingBenchOptions = {}): Promise<MatchingBenchResult> {
  const unitsWanted = options.units ?? 10_000;
  const machinesPerUnit = options.machinesPerUnit ?? 5;
  const durationSeconds = options.durationSeconds ?? 10;
  const connections = options.connections ?? 10;
  const maxDistanceKm = options.maxDistanceKm ?? 50;
  const random = mulberry32(options.seed ?? 20_261_102);

  const config = testConfig({ logLevel: process.env.LOG_LEVEL ?? 'silent', dbPoolSize: 20 });
  const system = await startSystem(config, { services: ['gateway', 'commons', 'fabrication'], port: 0, host: '127.0.0.1' });
  const sql = new pg.Pool({ connectionString: config.databaseUrl, max: 4 });
  try {
    const http = new HttpClient(system.url!);
    const t0 = Date.now();
    const points = realLocations();
    const seeded = await seed(sql, points, unitsWanted, machinesPerUnit, random);
    const designVersionId = await publishDesign(http);
    const seedSeconds = round((Date.now() - t0) / 1000, 1);

    const needBy = new Date(Date.now() + 14 * 86_400_000).toISOString();
    const paths = Array.from({ length: options.locations ?? 200 }, () => {
      const p = points[Math.floor(random() * points.length)]!;
      const lat = round(p.lat + (random() - 0.5) * 0.2, 4);
      const lon = round(p.lon + (random() - 0.5) * 0.2, 4);
      return `/matches?designVersionId=${designVersionId}&quantity=5&lat=${lat}&lon=${lon}&needBy=${needBy}&maxDistanceKm=${maxDistanceKm}`;
    });

    // One answer per location, checked and counted, before the load.
    let considered = 0;
    let matched = 0;
    let bytes = 0;
    for (const path of paths) {
      const answer = await http.get(path);
      if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      considered += answer.body.counts.units;
      matched += answer.body.counts.matched;
      bytes += Buffer.byteLength(answer.text);
    }

    const url = system.url + paths[0]!;
    await load({ url, paths, durationSeconds: 2, connections });
    const result = await load({ url, paths, durationSeconds, connections });
    if (result.errors || result.non2xx) throw new Error(`load answered ${result.non2xx} non-2xx and ${result.errors} errors`);
    const sustainedRate = options.sustainedRate ?? 200;
    const sustained = await load({ url, paths, durationSeconds, connections, ratePerSecond: sustainedRate, paced: true });
    const lightConnections = options.lightConnections ?? 2;
    const light = await load({ url, paths, durationSeconds, connections: lightConnections });
    const [unit] = (await sql.query<{ id: string }>(`SELECT id FROM fabrication.fab_units ORDER BY id LIMIT 1`)).rows;
    const baselineUrl = `${system.url}/fab-units/${unit!.id}`;
    await load({ url: baselineUrl, durationSeconds: 1, connections });
    const baseline = await load({ url: baselineUrl, durationSeconds, connections });
    return {
      units: seeded.units,
      machines: seeded.machines,
      reservations: seeded.reservations,
      connections,
      maxDistanceKm,
      requests: result.requests,
      rps: result.rps,
      p50Ms: result.p50Ms,
      p95Ms: result.p95Ms,
      p99Ms: result.p99Ms,
      cpuMsPerRequest: result.cpuMsPerRequest,
      errors: result.errors,
      non2xx: result.non2xx,
      avgUnitsConsidered: round(considered / paths.length, 1),
      avgMatched: round(matched / paths.length, 1),
      avgResponseBytes: Math.round(bytes / paths.length),
      seedSeconds,
      sustained: { connections, offeredPerSecond: sustainedRate, rps: sustained.rps, p50Ms: sustained.p50Ms, p95Ms: sustained.p95Ms, p99Ms: sustained.p99Ms, cpuMsPerRequest: sustained.cpuMsPerRequest },
      light: { connections: lightConnections, rps: light.rps, p50Ms: light.p50Ms, p95Ms: light.p95Ms },
      baseline: { route: 'GET /fab-units/{id}', rps: baseline.rps, p50Ms: baseline.p50Ms, p95Ms: baseline.p95Ms, cpuMsPerRequest: baseline.cpuMsPerRequest },
    };
  } finally {
    await sql.end();
    await system.close();
    if (options.keepDatabase) console.error(`kept ${config.databaseUrl}`);
    else await dropDatabase(config.databaseUrl);
  }
}

function realLocations(): { lat: number; lon: number; country?: string }[] {
  const records = JSON.parse(readFileSync('data/okw/fablabs-io-2237.json', 'utf8')) as {
    geocoding?: { latitude?: number; longitude?: number } | null;
    region?: { country?: string } | null;
  }[];
  return records
    .filter((r) => typeof r.geocoding?.latitude === 'number' && typeof r.geocoding?.longitude === 'number')
    .map((r) => ({ lat: r.geocoding!.latitude!, lon: r.geocoding!.longitude!, country: r.region?.country?.toUpperCase() }))
    .filter((p) => Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180);
}

/** Bulk inserts, a few thousand rows per statement, straight into fabrication's tables. */
async function seed(
  sql: pg.Pool,
  points: { lat: number; lon: number; country?: string }[],
  count: number,
  machinesPerUnit: number,
  random: () => number,
): Promise<{ units: number; machines: number; reservations: number }> {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const units: unknown[] = [];
  const machines: unknown[] = [];
  const stock: unknown[] = [];
  const reservations: unknown[] = [];
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const p = points[i % points.length]!;
    const schedule = pick(SCHEDULES);
    units.push({
      id,
      name: `Bench lab ${i}`,
      status: pick(STATUSES),
      lat: Math.max(-90, Math.min(90, p.lat + (random() - 0.5) * 0.1)),
      lon: Math.max(-180, Math.min(180, p.lon + (random() - 0.5) * 0.1)),
      country: p.country && /^[A-Z]{2}$/.test(p.country) ? p.country : null,
      timezone: schedule.zone,
      hours: schedule.hours,
      key: `bench lab ${i}|bench-${i}.example.org`,
      url: `https://bench-${i}.example.org`,
    });
    for (let k = 0; k < machinesPerUnit; k++) {
      const kind = pick(MACHINE_KINDS);
      const env = kind.envelope.length ? pick(kind.envelope) : null;
      const machineId = randomUUID();
      machines.push({
        id: machineId,
        unit: id,
        position: k,
        process: kind.process,
        x: env?.[0] ?? null,
        y: env?.[1] ?? null,
        z: env?.[2] ?? null,
        materials: kind.materials.filter(() => random() < 0.85),
        status: random() < 0.92 ? 'available' : random() < 0.5 ? 'maintenance' : 'retired',
      });
      // About one machine in four already has a job booked in the next two weeks.
      if (random() < 0.25) {
        const start = Math.floor((now + random() * 12 * 86_400_000) / 60_000) * 60_000;
        reservations.push({ id: randomUUID(), machine: machineId, unit: id, start: new Date(start), end: new Date(start + (1 + Math.floor(random() * 8)) * 3_600_000) });
      }
    }
    let position = 0;
    for (const [material, unit, max] of [['pla', 'g', 8000], ['petg', 'g', 5000], ['plywood', 'm2', 30], ['acrylic', 'm2', 10], ['resin', 'ml', 3000]] as const) {
      if (random() < 0.7) stock.push({ unit: id, material, position: position++, quantity: Math.round(random() * max * 10) / 10, u: unit });
    }
  }

  const chunks = async (rows: unknown[], size: number, text: string) => {
    for (let i = 0; i < rows.length; i += size) await sql.query(text, [JSON.stringify(rows.slice(i, i + size))]);
  };
  await chunks(units, 2000, `
    INSERT INTO fabrication.fab_units (id, name, kind, status, lat, lon, country, url, timezone, opening_hours, source_system, dedupe_key)
    SELECT id, name, 'fablab', status, lat, lon, country, url, timezone, hours, 'bench', key
    FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, name text, status text, lat float8, lon float8, country text, url text,
      timezone text, hours jsonb, key text)`);
  await chunks(machines, 5000, `
    INSERT INTO fabrication.machines (id, fab_unit_id, position, process, envelope_x_mm, envelope_y_mm, envelope_z_mm, materials, status)
    SELECT id, unit, position, process, x, y, z, materials, status
    FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, unit uuid, position int, process text, x float8, y float8, z float8,
      materials text[], status text)`);
  await chunks(stock, 5000, `
    INSERT INTO fabrication.material_stock (fab_unit_id, material, position, quantity, unit)
    SELECT unit, material, position, quantity, u FROM jsonb_to_recordset($1::jsonb) AS x(unit uuid, material text, position int, quantity numeric, u text)`);
  await chunks(reservations, 5000, `
    INSERT INTO fabrication.reservations (id, machine_id, fab_unit_id, kind, during)
    SELECT id, machine, unit, 'manual', tstzrange(start, "end") FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, machine uuid, unit uuid, start timestamptz, "end" timestamptz)`);
  await sql.query('ANALYZE fabrication.fab_units, fabrication.machines, fabrication.material_stock, fabrication.reservations');
  return { units: units.length, machines: machines.length, reservations: reservations.length };
}

/** A two-step design (print, then cut), published through the commons routes as a designer would. */
async function publishDesign(http: HttpClient): Promise<string> {
  const email = `bench-${randomUUID()}@example.org`;
  const password = 'correct horse battery staple';
  const registered = await http.post('/auth/register', { email, password, displayName: 'Bench designer' });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.text}`);
  const token = (await http.post('/auth/login', { email, password })).body.accessToken as string;
  const published = await http.post(
    '/designs',
    {
      title: 'Desk lamp',
      function: 'A printed lamp head on a laser-cut plywood stand',
      license: 'CERN-OHL-S-2.0',
      licensors: [{ name: 'Bench designer' }],
      requirements: [
        { process: '3d-printing', material: 'pla', envelopeMm: { x: 150, y: 150, z: 120 }, machineMinutesPerUnit: 45, materialQuantityPerUnit: 80, materialUnit: 'g' },
        { process: 'laser-cutting', material: 'plywood', envelopeMm: { x: 500, y: 300, z: 6 }, machineMinutesPerUnit: 20, materialQuantityPerUnit: 0.2, materialUnit: 'm2' },
      ],
    },
    { token },
  );
  if (published.status !== 201) throw new Error(`publishing the design failed: ${published.text}`);
  return published.body.designVersionId as string;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  runMatchingBench({
    connections: arg('connections'),
    lightConnections: arg('light'),
    sustainedRate: arg('rate'),
    durationSeconds: arg('duration'),
    units: arg('units'),
    keepDatabase: process.argv.includes('--keep'),
  }).then(
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
