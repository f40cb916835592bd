import { describe, expect, it } from '@jest/globals';
import { DEFAULT_COUNCIL_RULES, type CouncilRules } from '#libs/contracts/src/council/index.js';
import { priceCostVector, snapshotBudget } from './round-budget.js';
import { buildRoundInstance, digestOfExport, exportRoundInstance, recomputeFromExport, roundDigest, tallyRoundInstance, type RoundInstanceInput } from './round-tally.js';

const rules = (over: Partial<CouncilRules> = {}): CouncilRules => ({
  ...DEFAULT_COUNCIL_RULES,
  rates: { machineHour: { 'laser-cutting': '30', '3d-printing.fdm': '6' }, material: { pla: { unit: 'kg', rate: '25' } } },
  ...over,
});

function scenario(r: CouncilRules, ballots: RoundInstanceInput['ballots']): RoundInstanceInput {
  const budget = snapshotBudget(
    { from: '2026-03-01T00:00:00Z', to: '2026-03-15T00:00:00Z', fabUnitIds: ['u1'], machineMinutes: { 'laser-cutting': 900, '3d-printing.fdm': 1200 }, materials: { pla: { quantity: 5000, unit: 'g' } } },
    r,
  );
  const price = (machineMinutes: Record<string, number>, materials: Record<string, { quantity: number; unit: string }> = {}) => {
    const p = priceCostVector({ machineMinutes, materials }, r);
    if (!p.ok) throw new Error(p.problems.join());
    return { cost: p.cost.toString(), resources: Object.fromEntries(Object.entries(p.resources).map(([k, v]) => [k, v.toString()])) };
  };
  return {
    roundId: 'r1',
    title: 'March; first half',
    councilName: 'Lower Rhine',
    rules: r,
    budget,
    members: 5,
    opensAt: new Date('2026-02-20T00:00:00Z'),
    closesAt: new Date('2026-02-27T00:00:00Z'),
    candidates: [
      { id: 'a', name: 'Hospital splints', ...price({ 'laser-cutting': 600 }, { pla: { quantity: 1000, unit: 'g' } }) },
      { id: 'b', name: 'Bike racks', ...price({ 'laser-cutting': 400 }) },
      { id: 'c', name: 'School kits', ...price({ '3d-printing.fdm': 600 }, { pla: { quantity: 2, unit: 'kg' } }) },
      { id: 'd', name: 'Spare parts', ...price({ '3d-printing.fdm': 300 }) },
    ],
    ballots,
  };
}

const BALLOTS = [
  { approvals: ['a', 'b'] },
  { approvals: ['a', 'b', 'c'] },
  { approvals: ['a', 'c'] },
  { approvals: ['a'] },
  { approvals: ['b', 'd'] },
];

describe('round budget and pricing', () => {
  it('values the pool at the council rates and keeps one limit per resource', () => {
    const s = scenario(rules(), []);
    // 900 min laser × 30/h = 450; 1200 min fdm × 6/h = 120; 5 kg pla × 25 = 125
    expect(s.budget.money).toBe('695');
    expect(s.budget.limits).toEqual({ '3d-printing.fdm machine minutes': '1200', 'laser-cutting machine minutes': '900', 'pla kg': '5' });
    expect(s.candidates.map((c) => c.cost)).toEqual(['325', '200', '110', '30']);
  });

  it('refuses what it cannot price, naming why', () => {
    const p = priceCostVector({ machineMinutes: { 'cnc-milling': 60 }, materials: { pla: { quantity: 1, unit: 'm' } } }, rules());
    expect(p.ok).toBe(false);
    expect(!p.ok && p.problems.join('\n')).toMatch(/no rate per machine hour for cnc-milling[\s\S]*pla: cannot convert/);
  });

  it('prices a sub-process at its parent rate', () => {
    const p = priceCostVector({ machineMinutes: { '3d-printing.fdm': 30 }, materials: {} }, { ...rules(), rates: { machineHour: { '3d-printing': '10' }, material: {} } });
    expect(p.ok && p.cost.toString()).toBe('5');
  });
});

describe('round tally', () => {
  it('greedy funds by votes and names the resource that ran out', () => {
    const outcome = tallyRoundInstance(buildRoundInstance(scenario(rules({ votingMethod: 'greedy' }), BALLOTS)));
    expect(outcome.funded).toEqual(['a', 'c', 'd']);
    expect(outcome.cost).toBe('465');
    const b = outcome.candidates.find((c) => c.productionRequestId === 'b')!;
    expect(b).toMatchObject({ funded: false, votes: 3, shortResource: 'laser-cutting machine minutes' });
    expect(b.reason).toContain('not enough laser-cutting machine minutes left (needs 400, 300 left)');
    expect(outcome.remainingResources['laser-cutting machine minutes']).toBe('300');
  });

  it('equal shares (add1, greedy fill) never exceeds any limit', () => {
    const outcome = tallyRoundInstance(buildRoundInstance(scenario(rules(), BALLOTS)));
    for (const v of Object.values(outcome.remainingResources)) expect(Number(v)).toBeGreaterThanOrEqual(0);
    expect(outcome.funded.includes('a') && outcome.funded.includes('b')).toBe(false);
  });

  it('funds nothing below the quorum', () => {
    const outcome = tallyRoundInstance(buildRoundInstance(scenario(rules({ quorum: '1' }), BALLOTS.slice(0, 4))));
    expect(outcome.quorumMet).toBe(false);
    expect(outcome.funded).toEqual([]);
    expect(outcome.candidates[0]!.reason).toContain('quorum was not met: 4 of 5');
  });

  it('counts cumulative and ranked ballots greedily by points', () => {
    const cum = tallyRoundInstance(
      buildRoundInstance(scenario(rules({ votingMethod: 'greedy', ballotType: 'cumulative' }), [{ points: { b: 5, d: 1 } }, { points: { a: 3, c: 3 } }])),
    );
    expect(cum.funded[0]).toBe('b');
    const ranked = tallyRoundInstance(
      buildRoundInstance(scenario(rules({ votingMethod: 'greedy', ballotType: 'ranked' }), [{ ranking: ['d', 'c'] }, { ranking: ['d', 'a'] }])),
    );
    expect(ranked.funded[0]).toBe('d');
  });

  it('is recomputed from its export, digest included, whatever the ballot order', () => {
    const input = scenario(rules(), BALLOTS);
    const instance = buildRoundInstance(input);
    const outcome = tallyRoundInstance(instance);
    const text = exportRoundInstance(instance, outcome);
    expect(text.startsWith('META\n')).toBe(true);
    expect(recomputeFromExport(text)).toEqual(outcome);
    expect(digestOfExport(text)).toBe(roundDigest(instance));
    const shuffled = buildRoundInstance({ ...input, ballots: [...BALLOTS].reverse() });
    expect(roundDigest(shuffled)).toBe(roundDigest(instance));
    expect(roundDigest(buildRoundInstance({ ...input, ballots: BALLOTS.slice(1) }))).not.toBe(roundDigest(instance));
  });
});
