import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { commonsDatabase } from '#apps/commons/src/commons.database.js';
import { contentHash } from '#apps/commons/src/designs/content-hash.js';
import { slugify } from '#apps/commons/src/designs/slug.js';
import { TypeormDesignsRepository } from '#apps/commons/src/designs/typeorm-designs.repository.js';
import { parseSearch } from '#apps/commons/src/designs/search-query.js';
import { SearchDesignsUseCase } from '#apps/commons/src/designs/usecases/search-designs/search-designs.usecase.js';
import type { DesignVersionContent, ManufacturingStep } from '#libs/contracts/src/commons/design-version.js';
import { redisConnectionOptions } from '#libs/contracts/src/index.js';
import { dataSourceOptions, dropDatabase, quoteIdent } from '#libs/database/src/index.js';
import { testConfig } from '#libs/testing/src/test-config.js';
import { startSystem } from '../src/system.js';
import { load, type LoadResult, percentile, round } from './support/load.js';
import { mulberry32 } from '#libs/testing/src/prng.js';

/**
 * Search over HTTP with 100,000 designs: seeds them straight into the commons tables (bulk
 * SQL; the generated tsvector and the GIN indexes do the rest), then measures a text query
 * with a process filter (400 variants from a seeded PRNG) through the whole stack — gateway,
 * transport, commons, PostgreSQL — with autocannon in a worker thread, so the load generator
 * does not queue on the server's event loop.
 *
 * The headline p50/p95 are the latency of one client searching as fast as answers come (no
 * queueing behind other requests: what a search costs). `saturation` is the same mix with
 * `connections` clients: the throughput of the single all-in-one process, where latency is
 * mostly queueing. (autocannon's rate limit sends each second's quota in a burst, so it
 * cannot stand for an evenly offered load; pass `ratePerSecond` to use it anyway.) Baselines
 * from the same run: the same route with no text and no filter (the stack's own cost plus a
 * trivial index scan) and the search use case called in process (the query's own cost).
 *
 *   npm run build && node dist/bench/search.bench.js [designs] [seconds] [latency clients] [rate]
 */

export interface SearchBenchOptions {
  designs?: number;
  durationSeconds?: number;
  /** Clients of the latency run (default 1). */
  latencyConnections?: number;
  /** Caps the latency run at this many requests per second (autocannon's overallRate). */
  ratePerSecond?: number;
  /** Connections of the saturation run. */
  connections?: number;
  seed?: number;
}

export type LatencyFigures = LoadResult;

export interface SearchBenchResult extends LatencyFigures {
  designs: number;
  seedSeconds: number;
  durationSeconds: number;
  /** The load p50Ms/p95Ms were measured at (one client, as fast as it goes, by default). */
  load: { ratePerSecond: number | null; connections: number };
  /** As fast as `connections` requests in flight go: throughput, and latency with queueing. */
  saturation: LatencyFigures & { connections: number };
  /** How many designs the measured queries match (what their cost grows with). */
  matches: { p50: number; p95: number; max: number };
  /** Example queries of the measured mix. */
  queries: string[];
  baseline: {
    /** GET /designs?limit=20 with the same clients: the route's stack with no text and no filter. */
    http: LatencyFigures & { route: string };
    /** The search use case called in process, one query at a time: the query's own cost. */
    direct: { p50Ms: number; p95Ms: number; queries: number };
  };
}

export async function runSearchBench(options: SearchBenchOptions = {}): Promise<SearchBenchResult> {
  const designs = options.designs ?? 100_000;
  const durationSeconds = options.durationSeconds ?? 10;
  const ratePerSecond = options.ratePerSecond;
  const latencyConnections = options.latencyConnections ?? 1;
  const connections = options.connections ?? 10;
  const random = mulberry32(options.seed ?? 20251124);

  const id = randomBytes(5).toString('hex');
  const base = testConfig();
  const url = new URL(base.databaseUrl);
  url.pathname = `/cosmolocal_bench_search_${id}`;
  const config = { ...base, databaseUrl: url.toString(), namespace: `bench_search_${id}`, logLevel: 'silent' };

  const system = await startSystem(config, { services: ['gateway', 'commons'], port: 0, host: '127.0.0.1' });
  try {
    const seedStart = performance.now();
    await seedDesigns(config.databaseUrl, designs, random);
    const seedSeconds = round((performance.now() - seedStart) / 1000, 1);

    const queries = Array.from({ length: 400 }, () => searchQuery(random));
    const paths = queries.map((q) => `/designs?${new URLSearchParams(q).toString()}`);
    const baseUrl = system.url!;

    // Check the mix answers, and warm the caches and the JIT, before measuring.
    for (const path of paths.slice(0, 20)) {
      const answer = await fetch(baseUrl + path);
      if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
    }
    await load({ url: baseUrl, paths, connections, durationSeconds: Math.min(3, durationSeconds) });

    const search = await load({ url: baseUrl, paths, connections: latencyConnections, ...(ratePerSecond ? { ratePerSecond } : {}), durationSeconds });
    const saturation = await load({ url: baseUrl, paths, connections, durationSeconds: Math.max(3, Math.round(durationSeconds / 2)) });
    const bareRoute = '/designs?limit=20';
    const bare = await load({
      url: baseUrl,
      paths: [bareRoute],
      connections: latencyConnections,
      ...(ratePerSecond ? { ratePerSecond } : {}),
      durationSeconds: Math.max(3, Math.round(durationSeconds / 2)),
    });
    const direct = await directSearch(config.databaseUrl, queries);

    return {
      ...search,
      designs,
      seedSeconds,
      durationSeconds,
      load: { ratePerSecond: ratePerSecond ?? null, connections: latencyConnections },
      saturation: { ...saturation, connections },
      matches: direct.matches,
      queries: paths.slice(0, 5),
      baseline: { http: { ...bare, route: bareRoute }, direct: { p50Ms: direct.p50Ms, p95Ms: direct.p95Ms, queries: direct.queries } },
    };
  } finally {
    await system.close();
    await dropDatabase(config.databaseUrl);
    await dropNamespace(config.redisUrl, config.namespace);
  }
}

// ---------------------------------------------------------------- seeding

// A vocabulary of some size, drawn with Zipf-like weights (a few words are common, most are
// rare), as real titles and descriptions are: the cost of a text query is the number of
// designs it matches, so a toy vocabulary where every word matches a quarter of the commons
// would measure nothing real.
const words = (text: string) => text.trim().split(/\s*,\s*/);
const ADJECTIVES = words(`
  compact, modular, portable, low-cost, rugged, solar, manual, automatic, adjustable, foldable, lightweight, heavy-duty,
  precision, miniature, desktop, handheld, wall-mounted, stackable, wireless, repairable, pedal-powered, weatherproof,
  educational, community, bamboo, steel, wooden, recycled, parametric, open-frame, battery-powered, hand-cranked,
  hydroponic, insulated, waterproof, collapsible, stationary, mobile, smart, analog, digital, passive, active, vertical,
  horizontal, dual, universal, ergonomic, quiet, fast`);
const OBJECTS = words(`
  microscope, water pump, water filter, wind turbine, bicycle trailer, seed drill, grain mill, bench vise, drill press,
  laser engraver, oscilloscope, spectrometer, incubator, centrifuge, prosthetic hand, wheelchair, crutch, stethoscope,
  pulse oximeter, solar dryer, cook stove, beehive, greenhouse controller, irrigation valve, weather station,
  air quality monitor, geiger counter, soil moisture probe, loom, sewing table, shelf bracket, door hinge, tube clamp,
  cable tray, tool holder, camera mount, phone stand, keyboard, lamp, chair, workbench, bookshelf, planter,
  compost sifter, rainwater tank, battery pack, charge controller, power bank, radio, antenna, robot arm, plotter,
  router table, filament dryer, spool holder, enclosure, face shield, oxygen concentrator, syringe pump, pipette,
  thermocycler, magnetic stirrer, hot plate, fume extractor, dust collector, band saw, lathe, milling machine,
  press brake, sheet bender, spot welder, soldering station, reflow oven, pick and place, vacuum former,
  injection press, extruder, shredder, sieve, scale, balance, calliper, micrometer, thermometer, hygrometer,
  anemometer, rain gauge, seismometer, telescope, camera slider, tripod, drone frame, rover chassis, gearbox,
  linear actuator, motor mount, pulley, bearing block, coupling, gripper, conveyor, sorting machine, egg incubator,
  chicken coop, feeder, water trough, milking machine, cheese press, oil press, juicer, dehydrator, smoker, oven,
  refrigerator, cooler, fan, heater, heat exchanger, solar collector, biogas digester, water heater, pressure cooker,
  stretcher, splint, walker, hearing aid, braille display, magnifier, reading stand, desk, stool, bed frame, crib,
  toy, puzzle, board game, musical instrument, guitar, drum, speaker, amplifier, headphone, bicycle light,
  cargo bike, kick scooter, wheel hub, brake caliper, helmet, backpack, tent, hammock, shelter`);
const THINGS = words(`
  water, grain, seeds, samples, tools, cables, books, tubes, panels, batteries, sensors, air, soil, plants, patients,
  students, bicycles, parts, fabric, food, milk, cheese, oil, fruit, vegetables, eggs, honey, bees, chickens, goats,
  rain, wind, heat, light, sound, signals, data, images, cells, bacteria, dna, blood, oxygen, pressure, temperature,
  humidity, vibration, motion, weight, volume, distance, angles, wood, metal, plastic, filament, resin, glass, paper,
  cardboard, leather, wool, cotton, rope, wire, screws, nails, bolts, gears, motors, wheels, frames, boards, sheets,
  pipes, valves, pumps, fans, lamps, cameras, phones, laptops, chargers, children, elders, workers, farmers, families`);
const VERBS = words(`
  measures, filters, pumps, grinds, holds, dries, monitors, cuts, lifts, stores, cools, heats, mixes, sorts, lights,
  charges, powers, supports, cleans, weighs, counts, tests, records, protects, carries, moves, shapes, bends, joins,
  presses, sieves, grows, feeds, warms, shades, detects, amplifies, guides, aligns, clamps`);
const PURPOSES = words(`
  in rural clinics, for small farms, in community workshops, with locally available materials,
  at a fraction of the commercial cost, off the grid, in classrooms, for citizen science, in disaster relief,
  for makerspaces, in humid climates, for people with limited mobility, in refugee camps, on construction sites,
  in school laboratories, for beekeepers, for repair cafes, in mountain villages, at festivals, in hospitals,
  on fishing boats, in small bakeries, for home growers, in maker classes, during power cuts`);
const TAGS = words(`
  agriculture, health, water, energy, education, science, arduino, raspberry-pi, low-cost, repair, mobility, textile,
  food, housing, sensors, optics, electronics, mechanics, furniture, tools, medical, environment, solar, recycling,
  robotics, lab, kitchen, garden, bicycle, assistive, music, toys, outdoor, safety, lighting, audio, photography,
  beekeeping, livestock, aquaponics, hydroponics, wind, biogas, storage, transport, communication, radio, weather,
  chemistry, biology`);

/** Picks with weight 1/rank^0.6: a long tail, a few common words (the commonest thing is in ~4% of titles). */
function zipf<T>(list: readonly T[]): (random: () => number) => T {
  const cumulative: number[] = [];
  let sum = 0;
  list.forEach((_, k) => cumulative.push((sum += 1 / (k + 1) ** 0.6)));
  return (random) => {
    const r = random() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return list[lo]!;
  };
}
const pickObject = zipf(OBJECTS);
const pickThing = zipf(THINGS);
const pickAdjective = zipf(ADJECTIVES);
const pickTag = zipf(TAGS);
const QUALIFIERS = ['', '', '', '', '', '', ' kit', ' mk2', ' mk3', ' v2', ' XL', ' mini', ' for schools', ' for fab labs', ' with Arduino', ' for field use', ' pro'];
const LICENSES = ['CERN-OHL-S-2.0', 'CERN-OHL-S-2.0', 'CERN-OHL-W-2.0', 'CERN-OHL-P-2.0', 'CC-BY-SA-4.0', 'CC-BY-4.0', 'GPL-3.0-or-later', 'MIT', 'CC0-1.0', 'TAPR-OHL-1.0'];
/** Process, its materials, its unit; weighted by how often designs need them. */
const STEPS: Array<[process: string, weight: number, materials: string[], unit: string]> = [
  ['3d-printing.fdm', 30, ['pla', 'petg', 'abs', 'asa', 'tpu'], 'g'],
  ['3d-printing.sla', 5, ['resin'], 'ml'],
  ['3d-printing.sls', 2, ['nylon'], 'g'],
  ['3d-printing', 3, ['pla', 'petg'], 'g'],
  ['laser-cutting', 15, ['plywood', 'mdf', 'acrylic', 'cardboard'], 'm2'],
  ['laser-engraving', 2, ['wood', 'acrylic'], 'm2'],
  ['cnc-milling', 8, ['aluminium', 'wood', 'hdpe', 'brass'], 'g'],
  ['cnc-turning', 3, ['aluminium', 'steel', 'brass'], 'g'],
  ['cnc-routing', 4, ['plywood', 'mdf', 'wood'], 'm2'],
  ['pcb-fabrication', 7, ['fr4'], 'pcs'],
  ['pcb-assembly', 5, ['electronic-components'], 'pcs'],
  ['soldering', 5, ['solder'], 'g'],
  ['welding.mig', 3, ['steel'], 'g'],
  ['welding.tig', 1, ['stainless-steel', 'aluminium'], 'g'],
  ['sewing', 3, ['fabric', 'cotton'], 'm2'],
  ['sheet-metal-bending', 2, ['steel', 'aluminium'], 'g'],
  ['assembly', 6, ['fasteners'], 'pcs'],
];
const STEP_WEIGHT = STEPS.reduce((sum, s) => sum + s[1], 0);

interface SeedRow {
  design: Record<string, unknown>;
  version: Record<string, unknown>;
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function pickStep(random: () => number): (typeof STEPS)[number] {
  let r = random() * STEP_WEIGHT;
  for (const step of STEPS) {
    r -= step[1];
    if (r < 0) return step;
  }
  return STEPS[0]!;
}

function makeDesign(random: () => number, i: number, createdAt: string): SeedRow {
  const object = pickObject(random);
  const title = `${pickAdjective(random)} ${object}${pick(random, QUALIFIERS)}`.replace(/^./, (c) => c.toUpperCase());
  const fn =
    `A ${object} that ${pick(random, VERBS)} ${pickThing(random)} ${pick(random, PURPOSES)}. ` +
    `It ${pick(random, VERBS)} ${pickThing(random)}${random() < 0.2 ? `, and works with any ${pickObject(random)}` : ''}.`;
  const keywords = [...new Set(Array.from({ length: 2 + Math.floor(random() * 4) }, () => pickTag(random)))].sort();
  const requirements: ManufacturingStep[] = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
    const [process, , materials, unit] = pickStep(random);
    return {
      process,
      material: pick(random, materials),
      envelopeMm: { x: 20 + Math.floor(random() * 300), y: 20 + Math.floor(random() * 300), z: 5 + Math.floor(random() * 200) },
      machineMinutesPerUnit: 5 + Math.floor(random() * 600),
      materialQuantityPerUnit: Math.round(random() * 5000) / 10,
      materialUnit: unit,
    };
  });
  const license = pick(random, LICENSES);
  const content: DesignVersionContent = {
    title,
    function: fn,
    license,
    licensors: [{ name: `Designer ${i % 5000}` }],
    contributors: [],
    keywords,
    bom: [{ item: 'M3 screw', quantity: 4 + Math.floor(random() * 20), unit: 'pcs' }],
    links: [{ kind: 'source', url: `https://codeberg.org/commons/design-${i}` }],
    requirements,
  };
  const designId = uuidFrom(random);
  const versionId = uuidFrom(random);
  return {
    design: {
      id: designId,
      slug: `${slugify(title).slice(0, 60)}-${i.toString(36)}`,
      created_at: createdAt,
      latest_version_id: versionId,
      title,
      function: fn,
      keywords,
      license,
      processes: [...new Set(requirements.map((s) => s.process))],
      materials: [...new Set(requirements.map((s) => s.material))],
    },
    version: { id: versionId, design_id: designId, content, content_hash: contentHash(content), title, license, published_at: createdAt },
  };
}

/** Bulk inserts, 2,000 designs (and their first versions) per transaction. */
export async function seedDesigns(databaseUrl: string, count: number, random: () => number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // A bench database: losing its last commits in a crash costs nothing.
  await client.query('SET synchronous_commit = off');
  const start = Date.UTC(2024, 0, 1);
  // A bulk load builds the GIN indexes once at the end (far faster than row by row), with the
  // very definitions the migrations gave them.
  const gin = await client.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE schemaname = 'commons' AND tablename = 'designs' AND indexdef ILIKE '% USING gin %'`,
  );
  try {
    for (const index of gin.rows) await client.query(`DROP INDEX commons.${quoteIdent(index.name)}`);
    for (let first = 0; first < count; first += 2000) {
      const rows = Array.from({ length: Math.min(2000, count - first) }, (_, k) => {
        const i = first + k;
        // A design a minute apart, with a random second inside it: distinct, realistic timestamps.
        return makeDesign(random, i, new Date(start + i * 60_000 + Math.floor(random() * 59_000)).toISOString());
      });
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO commons.designs (id, slug, created_at, updated_at, latest_version_id, latest_version, title, function, keywords, license, processes, materials)
         SELECT id, slug, created_at, created_at, latest_version_id, '1.0.0', title, function, keywords, license, processes, materials
         FROM jsonb_to_recordset($1::jsonb) AS r (id uuid, slug text, created_at timestamptz, latest_version_id uuid, title text,
           function text, keywords text[], license text, processes text[], materials text[])`,
        [JSON.stringify(rows.map((r) => r.design))],
      );
      await client.query(
        `INSERT INTO commons.design_versions (id, design_id, version, content, content_hash, title, license, published_at)
         SELECT id, design_id, '1.0.0', content, content_hash, title, license, published_at
         FROM jsonb_to_recordset($1::jsonb) AS r (id uuid, design_id uuid, content jsonb, content_hash text, title text, license text, published_at timestamptz)`,
        [JSON.stringify(rows.map((r) => r.version))],
      );
      await client.query('COMMIT');
    }
    for (const index of gin.rows) await client.query(index.definition);
    // Set hint bits and the visibility map, and give the planner real statistics, as autovacuum would.
    await client.query('VACUUM ANALYZE commons.designs');
    await client.query('VACUUM ANALYZE commons.design_versions');
  } finally {
    await client.end();
  }
}

const SEARCH_PROCESSES = ['3d-printing', '3d-printing', '3d-printing.fdm', 'laser-cutting', 'cnc-machining', 'pcb-fabrication', 'welding', 'sewing', 'assembly'];

/** What people search for: mostly the name of a thing (popular things more often), sometimes with a qualifier. */
export function searchQuery(random: () => number): Record<string, string> {
  const terms = [pickObject(random)];
  const r = random();
  if (r < 0.25) terms.unshift(pickAdjective(random));
  else if (r < 0.35) terms.push(pickThing(random));
  else if (r < 0.45) terms.unshift(pickTag(random));
  return { q: terms.join(' '), process: pick(random, SEARCH_PROCESSES) };
}

// ---------------------------------------------------------------- measuring

async function directSearch(
  databaseUrl: string,
  queries: Array<Record<string, string>>,
): Promise<{ p50Ms: number; p95Ms: number; queries: number; matches: { p50: number; p95: number; max: number } }> {
  const dataSource = new DataSource(dataSourceOptions(commonsDatabase, databaseUrl, 2));
  await dataSource.initialize();
  try {
    const search = new SearchDesignsUseCase(new TypeormDesignsRepository(dataSource));
    const times: number[] = [];
    const matches: number[] = [];
    for (const q of queries) {
      const start = performance.now();
      await search.execute(q);
      times.push(performance.now() - start);
      const parsed = parseSearch(q);
      if (!parsed.ok) throw new Error(`bad bench query ${JSON.stringify(q)}`);
      const [row] = await dataSource.query(
        `SELECT count(*)::int AS n FROM commons.designs d, websearch_to_tsquery('english', $1) query
         WHERE d.search @@ query AND d.processes && $2::text[]`,
        [parsed.query.text, parsed.query.processes],
      );
      matches.push(row.n);
    }
    times.sort((a, b) => a - b);
    matches.sort((a, b) => a - b);
    return {
      p50Ms: round(percentile(times, 50)),
      p95Ms: round(percentile(times, 95)),
      queries: times.length,
      matches: { p50: percentile(matches, 50), p95: percentile(matches, 95), max: Math.max(...matches) },
    };
  } finally {
    await dataSource.destroy();
  }
}

// ---------------------------------------------------------------- helpers

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)]!;
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function dropNamespace(redisUrl: string, namespace: string): Promise<void> {
  const redis = new Redis({ ...redisConnectionOptions(redisUrl), lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Leftover keys of a bench namespace harm nothing; never fail the run for them.
  } finally {
    redis.disconnect();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [designs, seconds, latencyConnections, rate] = process.argv.slice(2).map(Number);
  runSearchBench({
    designs: designs || undefined,
    durationSeconds: seconds || undefined,
    latencyConnections: latencyConnections || undefined,
    ratePerSecond: rate || undefined,
  }).then(
    (result) => {
      console.log(JSON.stringify(result, null, 2));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
