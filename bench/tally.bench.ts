import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { approvalBallotsFromPabulib, candidatesFromPabulib, equalShares, parsePabulib, syntheticRound } from '#libs/tally/src/index.js';

/**
 * Method of Equal Shares (exact rational arithmetic, add1 completion as officially used) on the
 * real Wieliczka 2023 election and on a seeded synthetic round of 100,000 voters × 200
 * candidates. Median of a few runs, in ms. Target: under 2 s for the large round.
 *   node dist/bench/tally.bench.js
 */
export async function runTallyBench(runs = 3): Promise<{ wieliczkaMs: number; largeRoundMs: number; voters: number; candidates: number }> {
  // Run from the repository root (npm run bench does).
  const instance = parsePabulib(readFileSync(resolve('data/pabulib/poland_wieliczka_2023.pb'), 'utf8'));
  const wieliczka = { budget: instance.budget, candidates: candidatesFromPabulib(instance), ballots: approvalBallotsFromPabulib(instance) };
  const wieliczkaMs = median(time(() => equalShares(wieliczka, { completion: 'add1' }), runs));

  const voters = 100_000;
  const candidates = 200;
  const round = syntheticRound({ voters, candidates });
  const largeRoundMs = median(time(() => equalShares(round, { completion: 'add1' }), runs));
  return { wieliczkaMs, largeRoundMs, voters, candidates };
}

function time(work: () => unknown, runs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    work();
    out.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)]! * 10) / 10;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runTallyBench().then(
    (r) => console.log(JSON.stringify(r)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
