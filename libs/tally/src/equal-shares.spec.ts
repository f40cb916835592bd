import { describe, expect, it } from '@jest/globals';
import { approvalBallotsFromPabulib, candidatesFromPabulib, withoutProjects, type ApprovalBallot, type Candidate } from './election.js';
import { equalShares } from './equal-shares.js';
import { parsePabulib } from './pabulib.js';
import { Rational } from './rational.js';
import { tallyDigest } from './result-digest.js';
import { randomBelow, seededRandom, syntheticRound } from './synthetic-round.js';
import { compareCodePoints } from './tie-break.js';
import { readData, shuffled } from './test-data.js';

const r = (v: number | string) => Rational.from(v);

/**
 * The textbook algorithm, one Rational per voter, as pabutools' naive_mes / mes_inner_algo with
 * cost satisfaction and lexicographic tie-breaking (plus the voter_budget_increment loop). Slow
 * and obviously right: the reference the optimised engine is checked against.
 */
function referenceMes(budget: Rational, candidates: Candidate[], ballots: string[][], increment?: Rational): string[] {
  const n = ballots.length;
  const supporters = new Map(candidates.map((c) => [c.id, ballots.flatMap((b, i) => (b.includes(c.id) ? [i] : []))]));
  const pool = candidates.filter((c) => supporters.get(c.id)!.length > 0 && c.cost.gt(0));
  const zero = candidates.filter((c) => supporters.get(c.id)!.length > 0 && c.cost.isZero()).map((c) => c.id);
  const run = (perVoter: Rational): string[] => {
    const money = ballots.map(() => perVoter);
    const selected = [...zero];
    let remaining = [...pool];
    for (;;) {
      let best: { c: Candidate; rho: Rational; q: Rational } | undefined;
      const next: Candidate[] = [];
      for (const c of remaining) {
        const sup = supporters.get(c.id)!.slice().sort((a, b) => money[a].compare(money[b]));
        if (Rational.sum(sup.map((i) => money[i])).lt(c.cost)) continue;
        next.push(c);
        let paid = Rational.ZERO;
        let rem = sup.length;
        let q: Rational | undefined;
        for (const i of sup) {
          const share = c.cost.sub(paid).div(rem);
          if (share.lte(money[i])) {
            q = share;
            break;
          }
          paid = paid.add(money[i]);
          rem--;
        }
        const rho = q!.div(c.cost);
        const cmp = best ? rho.compare(best.rho) : -1;
        if (cmp < 0 || (cmp === 0 && compareCodePoints(c.id, best!.c.id) < 0)) best = { c, rho, q: q! };
      }
      remaining = next;
      if (!best) return selected;
      selected.push(best.c.id);
      for (const i of supporters.get(best.c.id)!) money[i] = money[i].sub(Rational.min(money[i], best.q));
      remaining = remaining.filter((c) => c !== best!.c);
    }
  };
  const start = budget.div(n);
  let outcome = run(start);
  if (!increment) return outcome;
  for (let k = 1; ; k++) {
    const cost = (ids: string[]) => Rational.sum(ids.map((id) => candidates.find((c) => c.id === id)!.cost));
    const left = budget.sub(cost(outcome));
    if (!pool.some((c) => !outcome.includes(c.id) && c.cost.lte(left))) return outcome;
    const next = run(start.add(increment.mul(k)));
    if (cost(next).gt(budget)) return outcome;
    outcome = next;
  }
}

function randomInstance(seed: number) {
  const next = seededRandom(seed);
  const m = 3 + randomBelow(next, 10);
  const n = 5 + randomBelow(next, 60);
  const candidates: Candidate[] = Array.from({ length: m }, (_, i) => ({
    id: `p${i}`,
    // small integer costs and a few decimals make equal budgets and exact ties common
    cost: randomBelow(next, 4) === 0 ? r(`${1 + randomBelow(next, 40)}.${randomBelow(next, 10)}`) : r(1 + randomBelow(next, 30)),
  }));
  const ballots = Array.from({ length: n }, () => candidates.filter(() => randomBelow(next, 3) === 0).map((c) => c.id));
  const total = Rational.sum(candidates.map((c) => c.cost));
  const budget = total.mul(Rational.of(1 + randomBelow(next, 6), 8));
  return { candidates, ballots, budget };
}

describe('equalShares against the textbook algorithm', () => {
  const seeds = Array.from({ length: 60 }, (_, i) => i + 1);
  it.each(seeds)('random instance %i: plain MES, add1, and the exact-only path agree', (seed) => {
    const { candidates, ballots, budget } = randomInstance(seed);
    const input = { budget, candidates, ballots: ballots.map((approvals) => ({ approvals })) };
    const plain = referenceMes(budget, candidates, ballots);
    expect(equalShares(input).selected).toEqual(plain);
    expect(equalShares(input, { exactScan: true }).selected).toEqual(plain);
    const add1 = referenceMes(budget, candidates, ballots, Rational.ONE);
    expect(equalShares(input, { completion: 'add1' }).selected).toEqual(add1);
    expect(equalShares(input, { completion: 'add1', exactScan: true }).selected).toEqual(add1);
  });

  it('weighted ballots count like repeated ones', () => {
    const { candidates, ballots, budget } = randomInstance(7);
    const expanded = equalShares({ budget, candidates, ballots: ballots.map((approvals) => ({ approvals })) });
    const weighted = equalShares({ budget, candidates, ballots: ballots.map((approvals) => ({ approvals, weight: 3 })) });
    expect(weighted.selected).toEqual(expanded.selected);
  });
});

// Exact counts over thousands of voters: generous timeouts for slow CI machines.
const SLOW = 120_000;

describe('Wieliczka 2023 (official rule: equal shares, completed by add1)', () => {
  const full = parsePabulib(readData('pabulib/poland_wieliczka_2023.pb'));
  const official = full.projects.filter((p) => p.selected).map((p) => p.id);
  const tally = (inst = full) =>
    equalShares({ budget: inst.budget, candidates: candidatesFromPabulib(inst), ballots: approvalBallotsFromPabulib(inst) }, { completion: 'add1' });

  it('reproduces the official 30 projects (995,079) when projects 66 and 67 are left out', () => {
    const outcome = tally(withoutProjects(full, ['66', '67']));
    expect(official).toHaveLength(30);
    expect(new Set(outcome.selected)).toEqual(new Set(official));
    expect(outcome.selected).toHaveLength(30);
    expect(outcome.cost).toEqual(r(995079));
    expect(outcome.completion.stoppedBecause).toBe('exhaustive');
  }, SLOW);

  it('with 66 and 67 in, selects 31: adds 66 and 67, drops 46', () => {
    const outcome = tally();
    expect(outcome.selected).toHaveLength(31);
    expect(outcome.selected.filter((id) => !official.includes(id)).sort()).toEqual(['66', '67']);
    expect(official.filter((id) => !outcome.selected.includes(id))).toEqual(['46']);
    expect(outcome.cost.lte(full.budget)).toBe(true);
  }, SLOW);

  it('explains each decision', () => {
    const outcome = tally(withoutProjects(full, ['66', '67']));
    const first = outcome.projects.find((p) => p.id === outcome.selected[0])!;
    expect(first.decision).toMatchObject({ funded: true, phase: 'equal-shares', step: 1 });
    expect(first.decision.reason).toMatch(/^selected in round 1 with rho = /);
    const dropped = outcome.projects.find((p) => p.id === '21')!;
    expect(dropped.supporters).toBe(496);
    expect(dropped.decision).toMatchObject({ funded: false, cause: 'unaffordable' });
    expect(dropped.decision.reason).toMatch(/^its 496 supporters could not afford it \(they had .* left, it costs 100000\)$/);
    if (!dropped.decision.funded) expect(dropped.decision.supportersBudget!.lt(100000)).toBe(true);
    // ρ never decreases from round to round: money only goes down
    for (let i = 1; i < outcome.rounds.length; i++) expect(outcome.rounds[i].rho.gte(outcome.rounds[i - 1].rho)).toBe(true);
  }, SLOW);

  it('is independent of ballot order: same outcome, same digest', () => {
    const inst = withoutProjects(full, ['66', '67']);
    const a = tally(inst);
    const b = tally({ ...inst, votes: shuffled(inst.votes, 42) });
    expect(b).toEqual(a);
    const rules = { rule: 'equal-shares', completion: 'add1', budget: inst.budget, excluded: ['66', '67'] };
    const digest = (votes: typeof inst.votes) =>
      tallyDigest({ ballots: votes.map((v) => [...v.projects].sort()), rules, result: { selected: a.selected, cost: a.cost } }).digest;
    expect(digest(shuffled(inst.votes, 7))).toBe(digest(inst.votes));
  }, SLOW);
});

describe('equalShares details', () => {
  it('with no ballots funds nothing', () => {
    const outcome = equalShares({ budget: r(10), candidates: [{ id: 'x', cost: r(1) }], ballots: [] }, { completion: 'add1' });
    expect(outcome.selected).toEqual([]);
    expect(outcome.projects[0].decision).toMatchObject({ funded: false, cause: 'no-supporters' });
  });

  it('funds cheap zero-cost supported projects first and never funds unsupported ones', () => {
    const outcome = equalShares({
      budget: r(10),
      candidates: [
        { id: 'free', cost: r(0) },
        { id: 'lonely', cost: r(1) },
        { id: 'x', cost: r(4) },
      ],
      ballots: [{ approvals: ['free', 'x'] }, { approvals: ['x'] }],
    });
    expect(outcome.selected).toEqual(['free', 'x']);
    expect(outcome.projects[0].decision).toMatchObject({ funded: true, phase: 'zero-cost' });
    expect(outcome.projects[1].decision).toMatchObject({ funded: false, cause: 'no-supporters' });
  });

  it('fills greedily after MES when asked (pabutools completion_by_rule_combination)', () => {
    // 9 voters want X (95) but hold 90; one voter funds Y (5) alone
    const ballots: ApprovalBallot[] = [{ approvals: ['X'], weight: 9 }, { approvals: ['Y'] }];
    const input = { budget: r(100), candidates: [{ id: 'X', cost: r(95) }, { id: 'Y', cost: r(5) }], ballots };
    expect(equalShares(input).selected).toEqual(['Y']);
    const filled = equalShares(input, { greedyFill: true });
    expect(filled.selected).toEqual(['Y', 'X']);
    expect(filled.greedyFill).toEqual(['X']);
    expect(filled.cost).toEqual(r(100));
    expect(filled.projects[0].decision).toMatchObject({ funded: true, phase: 'greedy' });
  });

  it('completion stops at the last outcome that fits', () => {
    const ballots: ApprovalBallot[] = [{ approvals: ['X'], weight: 9 }, { approvals: ['Y'] }];
    const outcome = equalShares(
      { budget: r(100), candidates: [{ id: 'X', cost: r(95) }, { id: 'Y', cost: r(5) }], ballots },
      { completion: { increment: '0.5' } },
    );
    // at 10.5 per voter the nine X supporters hold 94.5, at 11 they hold 99: X + Y = 100 fits
    expect(outcome.selected).toEqual(['X', 'Y']);
    expect(outcome.budgetPerVoter).toEqual(r(11));
    expect(outcome.completion).toEqual({ runs: 3, increments: 2, stoppedBecause: 'exhaustive' });
  });
});

describe('equalShares with several resources', () => {
  const laser = 'laser-cutter:min';
  // 10 voters with 10 each. A: 6 supporters (ρ = 1/6), B: 5 (ρ = 1/5), C: 4 (ρ = 1/4).
  const ballots: ApprovalBallot[] = [
    ...Array.from({ length: 5 }, () => ({ approvals: ['A'] })),
    { approvals: ['A', 'B'] },
    ...Array.from({ length: 4 }, () => ({ approvals: ['B', 'C'] })),
  ];
  const candidates: Candidate[] = [
    { id: 'A', cost: r(30), resources: { [laser]: r(80) } },
    { id: 'B', cost: r(20), resources: { [laser]: r(50) } },
    { id: 'C', cost: r(16), resources: { [laser]: r(10) } },
  ];

  it.each([
    { name: 'no limit: all three', limit: undefined, selected: ['A', 'B', 'C'], blocked: undefined },
    { name: 'laser runs out for B: skipped, C instead', limit: 100, selected: ['A', 'C'], blocked: { id: 'B', needed: 50, remaining: 20 } },
    { name: 'laser runs out for A first', limit: 79, selected: ['B', 'C'], blocked: { id: 'A', needed: 80, remaining: 79 } },
  ])('$name', ({ limit, selected, blocked }) => {
    const outcome = equalShares({
      budget: r(100),
      candidates,
      ballots,
      ...(limit !== undefined ? { resourceLimits: { [laser]: r(limit) } } : {}),
    });
    expect(outcome.selected).toEqual(selected);
    if (!blocked) return;
    const d = outcome.projects.find((p) => p.id === blocked.id)!.decision;
    expect(d).toMatchObject({ funded: false, cause: 'resource', shortfall: { resource: laser, needed: r(blocked.needed), remaining: r(blocked.remaining) } });
  });

  it('completion treats a project that no longer fits a resource as not addable', () => {
    const outcome = equalShares({ budget: r(100), candidates, ballots, resourceLimits: { [laser]: r(100) } }, { completion: 'add1', greedyFill: true });
    expect(outcome.selected).toEqual(['A', 'C']);
    expect(outcome.completion).toEqual({ runs: 1, increments: 0, stoppedBecause: 'exhaustive' });
    expect(outcome.remainingResources).toEqual({ [laser]: r(10) });
    expect(outcome.projects[1].decision).toMatchObject({ funded: false, cause: 'resource' });
  });
});

describe('synthetic council round, 100,000 voters × 200 candidates', () => {
  it('MES result is consistent (correctness properties only, not timing)', () => {
    const round = syntheticRound({ seed: 1 });
    expect(round.ballots).toHaveLength(100_000);
    expect(round.candidates).toHaveLength(200);
    const outcome = equalShares(round);
    expect(outcome.selected.length).toBeGreaterThan(10);
    expect(outcome.cost.lte(round.budget)).toBe(true);
    expect(new Set(outcome.selected).size).toBe(outcome.selected.length);
    for (let i = 1; i < outcome.rounds.length; i++) expect(outcome.rounds[i].rho.gte(outcome.rounds[i - 1].rho)).toBe(true);
    const byId = new Map(round.candidates.map((c) => [c.id, c]));
    for (const p of outcome.projects) {
      if (p.decision.funded) {
        // a winner's supporters paid its cost: never more than the cost per supporter
        expect(p.decision.payment!.lte(byId.get(p.id)!.cost)).toBe(true);
      } else if (p.supporters > 0) {
        expect(p.decision.cause).toBe('unaffordable');
        expect(p.decision.supportersBudget!.lt(p.cost)).toBe(true);
      }
    }
    // the same seed gives the same round and the same outcome
    expect(equalShares(syntheticRound({ seed: 1 })).selected).toEqual(outcome.selected);
  }, SLOW);

  it('a smaller synthetic round matches the textbook algorithm', () => {
    const round = syntheticRound({ seed: 9, voters: 400, candidates: 25, minCost: 50, maxCost: 900 });
    const expected = referenceMes(round.budget, round.candidates, round.ballots.map((b) => [...b.approvals]));
    expect(equalShares(round).selected).toEqual(expected);
  }, SLOW);

  it('with resources, the limits hold', () => {
    const round = syntheticRound({ seed: 3, voters: 5_000, candidates: 60, resources: 3 });
    const outcome = equalShares(round, { completion: 'add1', greedyFill: true });
    for (const [name, limit] of Object.entries(round.resourceLimits!)) {
      const used = Rational.sum(outcome.selected.map((id) => round.candidates.find((c) => c.id === id)!.resources?.[name] ?? Rational.ZERO));
      expect(used.lte(limit)).toBe(true);
      expect(outcome.remainingResources[name]).toEqual(limit.sub(used));
    }
  }, SLOW);
});
