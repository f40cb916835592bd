import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRoundInstance, exportRoundInstance, tallyRoundInstance } from '#apps/council/src/rounds/round-tally.js';
import { DEFAULT_COUNCIL_RULES } from '#libs/contracts/src/council/index.js';
import { parsePabulib } from '#libs/tally/src/index.js';

/**
 * The real elections through the built CLI (`npm test` builds dist/ first; alone:
 * `npx tsc -p tsconfig.build.json`), exactly as an auditor would run it.
 */
const run = promisify(execFile);
const CLI = 'dist/src/cli.js';

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [CLI, ...args], { maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const official = (file: string) =>
  parsePabulib(readFileSync(file, 'utf8'))
    .projects.filter((p) => p.selected)
    .map((p) => p.id)
    .sort();

describe('npm run cli -- tally', () => {
  it('is built', () => {
    expect(existsSync(CLI)).toBe(true);
  });

  it.each([
    'data/pabulib/poland_warszawa_2017_aleksandrow.pb',
    'data/pabulib/poland_warszawa_2017_plac-wojska-polskiego.pb',
    'data/pabulib/poland_katowice_2021_dab.pb',
    'data/pabulib/poland_krakow_2020_swoszowice.pb',
  ])('greedy reproduces the official selection of %s', async (file) => {
    const out = await cli('tally', file, '--rule', 'greedy', '--json');
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout);
    expect([...result.selected].sort()).toEqual(official(file));
    expect(typeof result.cost).toBe('string');
  }, 30_000);

  it('equal shares with add1 reproduces Wieliczka 2023 (the official 30 projects, 995,079 zł) when projects 66 and 67 are left out', async () => {
    const file = 'data/pabulib/poland_wieliczka_2023.pb';
    const out = await cli('tally', file, '--rule', 'equal-shares', '--exclude', '66,67', '--json');
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result.selected).toHaveLength(30);
    expect([...result.selected].sort()).toEqual(official(file));
    expect(result.cost).toBe('995079');
  }, 60_000);

  it.each([
    ['data/ranked/00002-00000001.soi', [], 'Bdale Garbee'],
    ['data/ranked/00002-00000006.toc', [], 'Stefano Zacchiroli'],
    ['data/ranked/00002-00000007.soi', [], 'Stefano Zacchiroli'],
    ['data/ranked/00002-00000008.toc', ['--default-option', 'Further Discussion'], 'Swirl'],
  ])('schulze gives the known Debian winner of %s', async (file, extra, winner) => {
    const out = await cli('tally', file, '--rule', 'schulze', ...(extra as string[]), '--json');
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result.winners).toEqual([winner]);
    expect(result.ranking[0]).toEqual([winner]);
  }, 30_000);

  it('prints a readable report without --json', async () => {
    const out = await cli('tally', 'data/pabulib/poland_warszawa_2017_aleksandrow.pb', '--rule', 'greedy');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/Selected \d+ projects, total cost/);
    expect(out.stdout).toContain('Not funded:');
  }, 30_000);

  it("recomputes a council round's export exactly, resource limits included", async () => {
    const instance = buildRoundInstance({
      roundId: 'r',
      title: 'round',
      councilName: 'council',
      rules: { ...DEFAULT_COUNCIL_RULES, votingMethod: 'greedy' },
      budget: { from: '', to: '', fabUnitIds: [], machineMinutes: {}, materials: {}, money: '1000', limits: { 'laser-cutting machine minutes': '900' } },
      members: 3,
      opensAt: new Date(0),
      closesAt: new Date(1),
      candidates: [
        { id: 'a', name: 'A', cost: '300', resources: { 'laser-cutting machine minutes': '600' } },
        { id: 'b', name: 'B', cost: '200', resources: { 'laser-cutting machine minutes': '400' } },
        { id: 'c', name: 'C', cost: '100', resources: {} },
      ],
      ballots: [{ approvals: ['a', 'b'] }, { approvals: ['a', 'b', 'c'] }, { approvals: ['a'] }],
    });
    const outcome = tallyRoundInstance(instance);
    expect(outcome.funded).toEqual(['a', 'c']); // b fits the money, not the laser minutes
    const file = join(mkdtempSync(join(tmpdir(), 'round-')), 'round.pb');
    writeFileSync(file, exportRoundInstance(instance, outcome));
    const out = await cli('tally', file, '--rule', 'greedy', '--json');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ selected: ['a', 'c'], cost: '400' });
    expect((await cli('tally', file, '--rule', 'equal-shares')).code).toBe(1);
  }, 30_000);

  it('answers bad usage with exit 2 and an unreadable file with exit 1', async () => {
    expect((await cli('tally', 'data/pabulib/poland_wieliczka_2023.pb')).code).toBe(2);
    expect((await cli('tally', 'data/pabulib/poland_wieliczka_2023.pb', '--rule', 'borda')).code).toBe(2);
    const missing = await cli('tally', 'data/pabulib/nope.pb', '--rule', 'greedy');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    const wrong = await cli('tally', 'data/pabulib/poland_wieliczka_2023.pb', '--rule', 'schulze');
    expect(wrong.code).toBe(1);
  }, 30_000);
});
