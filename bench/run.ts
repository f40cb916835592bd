import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { runHttpBench } from './http.bench.js';
import { runMatchingBench } from './matching.bench.js';
import { runQueueBench } from './queue.bench.js';
import { runSearchBench } from './search.bench.js';
import { describeMachine } from './support/machine.js';
import { runTallyBench } from './tally.bench.js';

/**
 * `npm run bench`: every benchmark in one run, each against its own database and Redis
 * namespace, one after the other so they do not compete for the machine. Writes
 * bench/results.json and the README's Performance section. Exits 1 if a benchmark fails or
 * its counts do not add up (lost or doubled jobs), never because a figure is slow.
 */
async function main(): Promise<number> {
  process.env.LOG_LEVEL ??= 'silent';
  const started = new Date();
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    process.stdout.write(`bench: ${name} … `);
    const t0 = Date.now();
    const result = await fn();
    console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return result;
  };

  const queue = await step('queue (raw BullMQ vs the whole pipeline)', () => runQueueBench({}));
  const search = await step('design search over HTTP (100,000 designs)', () => runSearchBench({}));
  const matching = await step('matching over HTTP (10,000 units, 50,000 machines)', () => runMatchingBench({}));
  const tally = await step('Equal Shares (Wieliczka, 100,000 × 200)', () => runTallyBench());
  const http = await step('a read route vs a bare Nest route', () => runHttpBench({}));

  const results = {
    machine: describeMachine(),
    measuredAt: started.toISOString(),
    queue,
    search,
    matching,
    tally,
    http,
  };
  writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
  updateReadme(results);
  console.log(JSON.stringify(results, null, 2));

  const broken = queue.lost !== 0 || queue.doubled !== 0;
  if (broken) console.error(`bench: the pipeline lost ${queue.lost} and doubled ${queue.doubled} jobs`);
  return broken ? 1 : 0;
}

type Results = {
  machine: string;
  measuredAt: string;
  queue: Awaited<ReturnType<typeof runQueueBench>>;
  search: Awaited<ReturnType<typeof runSearchBench>>;
  matching: Awaited<ReturnType<typeof runMatchingBench>>;
  tally: Awaited<ReturnType<typeof runTallyBench>>;
  http: Awaited<ReturnType<typeof runHttpBench>>;
};

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function performanceTable(r: Results): string {
  const rows = [
    [
      `Job pipeline (outbox → BullMQ → accept, start, complete + provenance), medians of ${r.queue.rounds?.length ?? 1} rounds`,
      `${fmt(r.queue.pipelineJobsPerSec)} jobs/s`,
      `raw BullMQ no-op ${fmt(r.queue.rawJobsPerSec)} jobs/s; ratio ${fmt(r.queue.ratio, 2)} (rounds: ${(r.queue.rounds ?? []).map((x) => fmt(x.ratio, 2)).join(', ')}; target ≥ 0.3); lost ${r.queue.lost}, doubled ${r.queue.doubled}`,
    ],
    [
      `Design search, text + process filter, 100,000 designs, over HTTP (${r.search.load.connections} client; ${r.search.saturation.connections} clients)`,
      `p50 ${fmt(r.search.p50Ms, 1)} ms, p95 ${fmt(r.search.p95Ms, 1)} ms; ${r.search.saturation.connections} clients: p95 ${fmt(r.search.saturation.p95Ms, 1)} ms, ${fmt(r.search.saturation.rps)} req/s`,
      `plain list ${r.search.baseline.http.route} p95 ${fmt(r.search.baseline.http.p95Ms, 1)} ms; target p95 < 30 ms`,
    ],
    [
      `Matching, 10,000 units / 50,000 machines, over HTTP: ${fmt(r.matching.sustained.offeredPerSecond)} matches/s offered steadily over ${r.matching.sustained.connections} connections; then ${r.matching.connections} connections flat out (saturation); then ${r.matching.light.connections} connections flat out`,
      `steady ${fmt(r.matching.sustained.offeredPerSecond)}/s: p50 ${fmt(r.matching.sustained.p50Ms, 1)} ms, **p95 ${fmt(r.matching.sustained.p95Ms, 1)} ms**, p99 ${fmt(r.matching.sustained.p99Ms, 1)} ms; saturation: ${fmt(r.matching.rps)} req/s at p95 ${fmt(r.matching.p95Ms, 1)} ms, ${fmt(r.matching.cpuMsPerRequest, 2)} ms CPU a match; ${r.matching.light.connections} connections: p95 ${fmt(r.matching.light.p95Ms, 1)} ms`,
      `${r.matching.baseline.route} at ${r.matching.connections} connections flat out: ${fmt(r.matching.baseline.rps)} req/s at p95 ${fmt(r.matching.baseline.p95Ms, 1)} ms, ${fmt(r.matching.baseline.cpuMsPerRequest, 2)} ms CPU a request; target p95 < 25 ms`,
    ],
    ['Equal Shares + add1, Wieliczka 2023 (6,586 voters, 64 projects)', `${fmt(r.tally.wieliczkaMs)} ms`, 'exact rationals'],
    ['Equal Shares, synthetic 100,000 voters × 200 candidates', `${fmt(r.tally.largeRoundMs)} ms`, 'target < 2,000 ms'],
    [
      `HTTP read route: ${r.http.route}`,
      `${fmt(r.http.routeRps)} req/s (p95 ${fmt(r.http.routeP95Ms, 1)} ms), ${fmt(r.http.routeCpuMsPerRequest, 2)} ms CPU a request`,
      `bare Nest route ${fmt(r.http.bareRps)} req/s, ${fmt(r.http.bareCpuMsPerRequest, 2)} ms CPU a request; ratio ${fmt(r.http.ratio, 2)}`,
    ],
  ];
  return [
    `Measured by \`npm run bench\` on ${r.measuredAt.slice(0, 10)}: ${r.machine}. Raw figures: \`bench/results.json\`.`,
    '',
    '| benchmark | figure | baseline in the same run / target |',
    '|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

function updateReadme(r: Results): void {
  const readme = readFileSync('README.md', 'utf8');
  const start = '<!-- performance:start -->';
  const end = '<!-- performance:end -->';
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) return;
  writeFileSync('README.md', readme.slice(0, i + start.length) + '\n' + performanceTable(r) + '\n' + readme.slice(j));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
