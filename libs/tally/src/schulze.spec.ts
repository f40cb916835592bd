import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePreflib, findAlternative } from './preflib.js';
import { parseRankedBallot, schulze, strengthToString, type SchulzeVariant } from './schulze.js';
import { readData } from './test-data.js';

interface ReferenceCase {
  name: string;
  variant?: SchulzeVariant;
  candidates: string[];
  ballots: [string, number][];
  expected_pairwise?: Record<string, number>;
  expected_strongest_paths?: Record<string, number>;
  expected_winners?: string[];
  expected_ranking?: string[];
  expected_ranking_groups?: string[][];
  expected_winners_by_variant?: Record<SchulzeVariant, string[]>;
  then_add?: [string, number][];
  expected_winners_after_add?: string[];
}

const reference = JSON.parse(readFileSync(path.resolve(process.cwd(), 'data/ranked/schulze_reference_cases.json'), 'utf8')) as {
  cases: ReferenceCase[];
};

const ballotsOf = (list: [string, number][]) => list.map(([text, count]) => parseRankedBallot(text, count));
const sorted = (xs: string[]) => [...xs].sort();

describe('Schulze reference cases (data/ranked/schulze_reference_cases.json)', () => {
  it('has the cases we expect', () => {
    expect(reference.cases.length).toBeGreaterThanOrEqual(10);
  });

  it.each(reference.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const variants: SchulzeVariant[] = c.expected_winners_by_variant
      ? (Object.keys(c.expected_winners_by_variant) as SchulzeVariant[])
      : [c.variant ?? 'winning'];
    for (const variant of variants) {
      const result = schulze(c.candidates, ballotsOf(c.ballots), { variant });
      const at = (key: string) => {
        const [a, b] = key.split('>');
        return [c.candidates.indexOf(a), c.candidates.indexOf(b)];
      };
      for (const [key, value] of Object.entries(c.expected_pairwise ?? {})) {
        const [i, j] = at(key);
        expect([key, result.pairwise[i][j]]).toEqual([key, BigInt(value)]);
      }
      for (const [key, value] of Object.entries(c.expected_strongest_paths ?? {})) {
        const [i, j] = at(key);
        expect([key, strengthToString(result.strongestPaths[i][j])]).toEqual([key, String(value)]);
      }
      if (c.expected_winners) expect(sorted(result.winners)).toEqual(sorted(c.expected_winners));
      if (c.expected_winners_by_variant) expect([variant, sorted(result.winners)]).toEqual([variant, sorted(c.expected_winners_by_variant[variant])]);
      if (c.expected_ranking) expect(result.ranking).toEqual(c.expected_ranking.map((x) => [x]));
      if (c.expected_ranking_groups) expect(result.ranking.map(sorted)).toEqual(c.expected_ranking_groups.map(sorted));
      if (c.then_add) {
        const after = schulze(c.candidates, ballotsOf([...c.ballots, ...c.then_add]), { variant });
        expect(sorted(after.winners)).toEqual(sorted(c.expected_winners_after_add!));
      }
    }
  });

  it('ranks unlisted options last and tied; ratio links can be infinite', () => {
    const result = schulze(['A', 'B', 'C'], [parseRankedBallot('A', 3)], { variant: 'ratio' });
    expect(result.pairwise).toEqual([
      [0n, 3n, 3n],
      [0n, 0n, 0n],
      [0n, 0n, 0n],
    ]);
    expect(strengthToString(result.strongestPaths[0][1])).toBe('∞');
    expect(result.ranking).toEqual([['A'], ['B', 'C']]);
  });

  it('refuses unknown or repeated options', () => {
    expect(() => schulze(['A'], [parseRankedBallot('A > B')])).toThrow(/unknown option "B"/);
    expect(() => schulze(['A', 'B'], [parseRankedBallot('A > A')])).toThrow(/twice/);
  });
});

describe('Debian votes from PrefLib', () => {
  const count = (file: string, defaultName?: string) => {
    const e = parsePreflib(readData(`ranked/${file}`), file);
    const result = schulze(
      e.alternatives.map((a) => String(a.id)),
      e.ballots.map((b) => ({ count: b.count, tiers: b.tiers.map((t) => t.map(String)) })),
      defaultName ? { debian: { defaultOption: String(findAlternative(e, defaultName)!.id) } } : {},
    );
    const name = (id: string) => e.alternatives.find((a) => String(a.id) === id)!.name;
    return { winners: result.winners.map(name), dropped: result.dropped.map((d) => name(d.option)), result };
  };

  it.each([
    ['00002-00000001', 'Bdale Garbee', 'None Of The Above'],
    ['00002-00000006', 'Stefano Zacchiroli', 'None Of The Above'],
    ['00002-00000007', 'Stefano Zacchiroli', 'None Of The Above'],
  ])('%s: %s wins (both .soi and .toc, with or without the default option)', (base, winner, nota) => {
    for (const ext of ['soi', 'toc']) {
      expect(count(`${base}.${ext}`).winners).toEqual([winner]);
      expect(count(`${base}.${ext}`, nota).winners).toEqual([winner]);
    }
  });

  it.each(['soi', 'toc'])('Debian logo 1999 (.%s): Ants and Seal do not beat "Further Discussion", Swirl wins', (ext) => {
    const { winners, dropped, result } = count(`00002-00000008.${ext}`, 'Further Discussion');
    expect(dropped).toEqual(['Ants', 'Seal']);
    expect(result.dropped.map((d) => [d.for, d.against])).toEqual([
      [39n, 56n],
      [38n, 61n],
    ]);
    expect(winners).toEqual(['Swirl']);
    expect(result.ranking.flat()).not.toContain('1');
  });

  it('A.5 majority ratios and quorum', () => {
    // Swirl beats Further Discussion 104:27 (3.85:1): passes 3:1, fails 4:1
    const e = parsePreflib(readData('ranked/00002-00000008.soi'));
    const ids = e.alternatives.map((a) => String(a.id));
    const ballots = e.ballots.map((b) => ({ count: b.count, tiers: b.tiers.map((t) => t.map(String)) }));
    const run = (debian: Parameters<typeof schulze>[2]) => schulze(ids, ballots, debian);
    expect(run({ debian: { defaultOption: '8', majorityRatios: { '2': 3 } } }).winners).toEqual(['2']);
    const strict4 = run({ debian: { defaultOption: '8', majorityRatios: { '2': 4 } } });
    expect(strict4.dropped.map((d) => d.option)).toEqual(['1', '2', '3']);
    expect(strict4.winners).not.toContain('2');
    // Old Logo 86:32 is 2.6875:1; DV 90:32 is 2.8125:1
    const quorum = run({ debian: { defaultOption: '8', quorum: 87 } });
    expect(quorum.dropped.filter((d) => d.rule === 'quorum').map((d) => d.option)).toEqual(['1', '3', '4', '5', '7']);
  });

  it('an N:1 requirement is met at exactly N:1 (debian) but not under the 2003 wording (strict)', () => {
    // A vs D: 20 prefer A, 10 prefer D: exactly 2:1
    const ballots = [parseRankedBallot('A > D', 20), parseRankedBallot('D > A', 10)];
    const settings = (ratioTest: 'debian' | 'strict') => ({ debian: { defaultOption: 'D', majorityRatios: { A: 2 }, ratioTest } });
    expect(schulze(['A', 'D'], ballots, settings('debian')).winners).toEqual(['A']);
    expect(schulze(['A', 'D'], ballots, settings('strict')).winners).toEqual(['D']);
    // a tie with the default never passes
    const tie = [parseRankedBallot('A > D', 10), parseRankedBallot('D > A', 10)];
    expect(schulze(['A', 'D'], tie, { debian: { defaultOption: 'D' } }).dropped.map((d) => d.option)).toEqual(['A']);
  });
});
