import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { AppConfig } from '#libs/config/src/index.js';
import { grantPlatformAdmin, login, register } from './accounts.js';
import { type Check, runChecks } from './checks.js';
import { awaitDecisions, gatherJobs, oneProvenance, runConnectors, snapshotPool } from './connectors.js';
import type { DemoContext } from './context.js';
import { type CouncilRun, runCouncil } from './councils.js';
import { DemoClient } from './demo-client.js';
import { connectOrStart } from './demo-system.js';
import type { DemoFacts } from './facts.js';
import { noProgress, type ProgressFactory, progressOn } from './progress.js';
import { chooseRegions } from './regions.js';
import { equipLabs, importDesigns, importFabLabs, listFabLabs } from './seed-units.js';
import { renderReport } from './report.js';

export interface DemoOptions {
  config: AppConfig;
  /** The gateway; nothing answering there starts the system in this process. Default: 127.0.0.1 on config.port. */
  baseUrl?: string;
  /** Where the report goes (stdout). */
  out: NodeJS.WritableStream;
  /** Progress bars and what is happening (stderr); null for none. */
  err: (NodeJS.WritableStream & { isTTY?: boolean }) | null;
  /** Multiplies requests, members and fab labs. */
  scale: number;
  seed: number;
  /** Labs equipped outside the councils' regions (default 300 × scale). */
  units?: number;
  dataDir?: string;
  /** How long to wait for the round's decisions and for the connectors. */
  deadlineMs?: number;
}

export interface DemoOutcome {
  code: number;
  facts: DemoFacts;
  checks: Check[];
  report: string;
}

/**
 * `npm run demo`: the whole cycle on real data through the public HTTP API. Exits 0 only
 * when every check holds; any step that cannot go on throws with what went wrong.
 */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const log = (line: string) => options.err?.write(`${line}\n`);
  const progress: ProgressFactory = options.err ? progressOn(options.err) : noProgress;
  const baseUrl = options.baseUrl ?? `http://127.0.0.1:${options.config.port}`;
  const timings: DemoFacts['timings'] = [];
  const timed = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await fn();
    } finally {
      timings.push({ step, ms: Date.now() - started });
    }
  };

  const connection = await timed('start', () => connectOrStart(options.config, baseUrl, log));
  try {
    const runId = randomBytes(3).toString('hex');
    const password = randomBytes(18).toString('base64url');
    const client = new DemoClient(connection.baseUrl, (seconds, path) => log(`the gateway limits ${path}: waiting ${seconds} s`));
    log(`demo run ${runId} against ${connection.baseUrl}`);

    // The demo's own account, made platform admin as `grant-admin` does, then signed in again.
    const steward = await register(client, password, `${runId}-steward`, `Demo steward ${runId}`);
    await grantPlatformAdmin(options.config.databaseUrl, steward.email);
    const admin = { accountId: steward.accountId, token: await login(client, password, steward.email) };

    const ctx: DemoContext = {
      client,
      runId,
      seed: options.seed,
      scale: options.scale,
      dataDir: options.dataDir ?? resolve(process.cwd(), 'data'),
      progress,
      log,
      admin,
      password,
      units: options.units ?? 300 * options.scale,
    };
    const deadlineMs = options.deadlineMs ?? 120_000 + 20_000 * options.scale;

    log('1. importing designs');
    const { facts: designs, designs: demoDesigns } = await timed('designs', () => importDesigns(ctx));

    log('2. importing the fab labs of fablabs.io');
    const okw = await timed('fab lab import', () => importFabLabs(ctx));
    const labs = await listFabLabs(ctx);
    // Two councils, and two more for every step of --scale.
    const regions = chooseRegions(labs, 2 * options.scale);
    const { selection, fact: equip } = await timed('equipping', () => equipLabs(ctx, labs, regions));

    log('3–4. councils, requests, ballots, tally');
    const runs: CouncilRun[] = [];
    await timed('councils and rounds', async () => {
      for (const selected of selection.regions) runs.push(await runCouncil(ctx, selected, demoDesigns));
    });

    log('5. production');
    await timed('decisions', () => awaitDecisions(ctx, runs, deadlineMs));
    const pool = await snapshotPool(ctx, runs);
    const connectors = await timed('connectors', () => runConnectors(ctx, runs, deadlineMs));
    const jobs = await gatherJobs(ctx, runs);

    const units: Record<string, string> = Object.fromEntries(labs.map((l) => [l.id, l.name]));
    for (const run of runs) for (const l of run.labs) units[l.id] = l.name;
    const provenance = await oneProvenance(ctx, runs, jobs, designs, units);

    const facts: DemoFacts = {
      runId,
      seed: options.seed,
      scale: options.scale,
      baseUrl: connection.baseUrl,
      startedSystem: connection.started !== null,
      timings,
      designs,
      okw,
      units,
      equip,
      councils: runs.map((r) => r.fact),
      reservations: pool.reservations,
      stock: pool.stock,
      jobs,
      connectors,
      provenance,
    };
    const checks = runChecks(facts);
    const report = renderReport(facts, checks);
    options.out.write(report);
    return { code: checks.every((c) => c.ok) ? 0 : 1, facts, checks, report };
  } finally {
    if (connection.started) await connection.started.close();
  }
}
