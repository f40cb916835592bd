import { describe, expect, it } from '@jest/globals';
import { candidatesFromPabulib, scoresFromPabulib, supportersFromPabulib, type Candidate } from './election.js';
import { greedy } from './greedy.js';
import { parsePabulib } from './pabulib.js';
import { Rational } from './rational.js';
import { readData } from './test-data.js';

const r = (v: number | string) => Rational.from(v);

describe('greedy reproduces the official selections of the greedy-ruled Pabulib files', () => {
  it.each([
    ['poland_warszawa_2017_plac-wojska-polskiego.pb', ['427', '915', '2567', '1623']],
    // 1112 has more votes than 720 but does not fit once 261 is funded
    ['poland_warszawa_2017_aleksandrow.pb', ['261', '720']],
    // cumulative ballots: greedy by points
    ['poland_katowice_2021_dab.pb', ['L10/06/VIII', 'L10/02/VIII', 'L10/01/VIII', 'L10/05/VIII']],
    // ordinal ballots of 3, scored 3-2-1
    ['poland_krakow_2020_swoszowice.pb', ['4', '2', '11', '12', '3', '13', '5']],
  ])('%s', (file, expected) => {
    const inst = parsePabulib(readData(`pabulib/${file}`));
    expect(inst.meta['rule']).toBe('greedy');
    const outcome = greedy({
      budget: inst.budget,
      candidates: candidatesFromPabulib(inst),
      scores: scoresFromPabulib(inst),
      supporters: supportersFromPabulib(inst),
    });
    expect(outcome.selected).toEqual(expected);
    expect(new Set(outcome.selected)).toEqual(new Set(inst.projects.filter((p) => p.selected).map((p) => p.id)));
    expect(outcome.cost.lte(inst.budget)).toBe(true);
  });

  it('scores match the files’ own score / votes columns', () => {
    for (const file of ['poland_katowice_2021_dab.pb', 'poland_krakow_2020_swoszowice.pb']) {
      const inst = parsePabulib(readData(`pabulib/${file}`));
      const scores = scoresFromPabulib(inst);
      for (const p of inst.projects) expect(scores.get(p.id)!.toString()).toBe(p.extra['score']);
    }
    const aleksandrow = parsePabulib(readData('pabulib/poland_warszawa_2017_aleksandrow.pb'));
    const scores = scoresFromPabulib(aleksandrow);
    for (const p of aleksandrow.projects) expect(scores.get(p.id)!.toString()).toBe(p.extra['votes']);
  });

  it('explains skipped projects', () => {
    const inst = parsePabulib(readData('pabulib/poland_warszawa_2017_aleksandrow.pb'));
    const outcome = greedy({ budget: inst.budget, candidates: candidatesFromPabulib(inst), scores: scoresFromPabulib(inst) });
    const skipped = outcome.projects.find((p) => p.id === '1112')!;
    expect(skipped.decision).toMatchObject({ funded: false, cause: 'over-budget', remainingBudget: r(30411) });
    expect(skipped.decision.reason).toBe('did not fit the remaining budget (costs 99267, 30411 left)');
  });
});

describe('greedy tie-breaking', () => {
  const candidates: Candidate[] = [
    { id: 'b', cost: r(30) },
    { id: 'a', cost: r(50) },
    { id: 'c', cost: r(10) },
  ];
  const scores = { a: 5, b: 5, c: 5 };
  it.each([
    [undefined, ['a', 'b']],
    ['id' as const, ['a', 'b']],
    ['cost-asc' as const, ['c', 'b']],
    ['cost-desc' as const, ['a', 'b']],
    [{ order: ['c', 'a'] }, ['c', 'a']],
  ])('%j', (tieBreak, expected) => {
    expect(greedy({ budget: r(85), candidates, scores }, { tieBreak }).selected).toEqual(expected);
  });

  it('funds unsupported projects last, as pabutools does, unless told not to', () => {
    const cs: Candidate[] = [
      { id: 'x', cost: r(10) },
      { id: 'y', cost: r(10) },
    ];
    expect(greedy({ budget: r(30), candidates: cs, scores: { x: 3 } }).selected).toEqual(['x', 'y']);
    const strict = greedy({ budget: r(30), candidates: cs, scores: { x: 3 } }, { fundUnsupported: false });
    expect(strict.selected).toEqual(['x']);
    expect(strict.projects[1].decision).toMatchObject({ funded: false, cause: 'no-supporters' });
  });
});

describe('greedy with several resources', () => {
  const laser = 'laser-cutter:min';
  const plywood = 'plywood-4mm:m2';
  it.each([
    {
      name: 'money fits but laser minutes run out',
      budget: 100,
      limits: { [laser]: 100 },
      candidates: [
        { id: 'A', cost: 40, score: 10, needs: { [laser]: 60 } },
        { id: 'B', cost: 30, score: 8, needs: { [laser]: 50 } },
        { id: 'C', cost: 20, score: 5, needs: { [laser]: 30 } },
      ],
      selected: ['A', 'C'],
      skipped: { id: 'B', resource: laser, needed: 50, remaining: 40 },
    },
    {
      name: 'the second resource runs out',
      budget: 1000,
      limits: { [laser]: 1000, [plywood]: 5 },
      candidates: [
        { id: 'A', cost: 10, score: 9, needs: { [laser]: 10, [plywood]: 3 } },
        { id: 'B', cost: 10, score: 8, needs: { [laser]: 10, [plywood]: 3 } },
        { id: 'C', cost: 10, score: 7, needs: { [laser]: 10, [plywood]: 2 } },
      ],
      selected: ['A', 'C'],
      skipped: { id: 'B', resource: plywood, needed: 3, remaining: 2 },
    },
    {
      name: 'both run out: the first by name is reported',
      budget: 1000,
      limits: { [plywood]: 4, [laser]: 50 },
      candidates: [
        { id: 'A', cost: 10, score: 9, needs: { [laser]: 40, [plywood]: 3 } },
        { id: 'B', cost: 10, score: 8, needs: { [laser]: 20, [plywood]: 2 } },
      ],
      selected: ['A'],
      skipped: { id: 'B', resource: laser, needed: 20, remaining: 10 },
      shortfalls: 2,
    },
    {
      name: 'fractional needs (hours of machine time) are exact',
      budget: 100,
      limits: { [laser]: '0.3' },
      candidates: [
        { id: 'A', cost: 10, score: 9, needs: { [laser]: '0.1' } },
        { id: 'B', cost: 10, score: 8, needs: { [laser]: '0.2' } },
        { id: 'C', cost: 10, score: 7, needs: { [laser]: '0.0000001' } },
      ],
      selected: ['A', 'B'],
      skipped: { id: 'C', resource: laser, needed: '0.0000001', remaining: 0 },
    },
  ])('$name', ({ budget, limits, candidates, selected, skipped, shortfalls }) => {
    const outcome = greedy({
      budget: r(budget),
      candidates: candidates.map((c) => ({
        id: c.id,
        cost: r(c.cost),
        resources: Object.fromEntries(Object.entries(c.needs).map(([k, v]) => [k, r(v)])),
      })),
      scores: Object.fromEntries(candidates.map((c) => [c.id, c.score])),
      resourceLimits: Object.fromEntries(Object.entries(limits).map(([k, v]) => [k, r(v)])),
    });
    expect(outcome.selected).toEqual(selected);
    const decision = outcome.projects.find((p) => p.id === skipped.id)!.decision;
    expect(decision.funded).toBe(false);
    if (decision.funded) return;
    expect(decision.cause).toBe('resource');
    expect(decision.shortfall).toEqual({ resource: skipped.resource, needed: r(skipped.needed), remaining: r(skipped.remaining) });
    expect(decision.reason).toContain(skipped.resource);
    if (shortfalls) expect(decision.shortfalls).toHaveLength(shortfalls);
  });

  it('a resource nobody limited does not block', () => {
    const outcome = greedy({
      budget: r(10),
      candidates: [{ id: 'A', cost: r(5), resources: { paint: r(1000) } }],
      scores: { A: 1 },
      resourceLimits: { [laser]: r(1) },
    });
    expect(outcome.selected).toEqual(['A']);
  });

  it('money that runs out first is reported as money', () => {
    const outcome = greedy({
      budget: r(10),
      candidates: [
        { id: 'A', cost: r(8), resources: { [laser]: r(1) } },
        { id: 'B', cost: r(8), resources: { [laser]: r(100) } },
      ],
      scores: { A: 2, B: 1 },
      resourceLimits: { [laser]: r(10) },
    });
    expect(outcome.projects[1].decision).toMatchObject({ funded: false, cause: 'over-budget' });
    expect(outcome.remainingResources).toEqual({ [laser]: r(9) });
  });
});
