import { describe, expect, it } from '@jest/globals';
import { runChecks } from './checks.js';
import { sampleFacts } from './demo-fixtures.js';
import type { DemoFacts } from './facts.js';

const failing = (facts: DemoFacts) => runChecks(facts).filter((c) => !c.ok);

describe('the demo checks', () => {
  it('all hold on a consistent run', () => {
    const checks = runChecks(sampleFacts());
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.length).toBe(10);
  });

  it('catch a tally that funds more than the budget or than a resource', () => {
    const f = sampleFacts();
    f.councils[0]!.budget.money = '10';
    expect(failing(f).map((c) => c.name)).toEqual(['the tally adds up and funds no more than the budget']);
    const g = sampleFacts();
    g.councils[0]!.budget.limits['petg kg'] = '0.1';
    expect(failing(g)[0]!.detail).toContain('petg kg funded 0.152 > pooled 0.1');
  });

  it('catch a funded request production did not make jobs for', () => {
    const f = sampleFacts();
    f.councils[0]!.requests[0]!.stateAfterRound = 'failed';
    f.councils[0]!.requests[0]!.reason = 'No reservation could be placed';
    expect(failing(f).map((c) => c.detail).join()).toContain('crutch tips, clinic was funded but production made it failed (No reservation could be placed)');
  });

  it('catch over-commitment: reservations beyond the pool, a machine booked twice, stock held beyond what is there', () => {
    const f = sampleFacts();
    f.councils[0]!.budget.machineMinutes['3d-printing.fdm'] = 300;
    expect(failing(f).map((c) => c.name)).toContain('reservations in the period stay within the pooled hours');
    const g = sampleFacts();
    g.reservations[1]!.start = '2026-03-02T11:00:00.000Z';
    g.stock[0]!.held = 6;
    const detail = failing(g).find((c) => c.name.startsWith('no machine booked twice'))!.detail;
    expect(detail).toContain('job-1 and job-2 overlap');
    expect(detail).toContain('6 petg held, 5 in stock');
  });

  it('catch a job lost, doubled or left open', () => {
    const lost = sampleFacts();
    lost.connectors.taken = ['job-1', 'job-2'];
    expect(failing(lost).find((c) => c.name === 'no job lost or doubled')!.detail).toContain('job-3 is completed but no connector took it');
    const doubled = sampleFacts();
    doubled.connectors.taken.push('job-1');
    expect(failing(doubled).find((c) => c.name === 'no job lost or doubled')!.detail).toContain('handed out 2 times');
    const open = sampleFacts();
    open.jobs[2]!.state = 'in_progress';
    open.councils[0]!.requests[0]!.finalState = 'in_production';
    const names = failing(open).map((c) => c.name);
    expect(names).toContain('completed + failed + cancelled + declined = jobs created');
    expect(names).toContain('the declined job was rerouted inside its pool and period, and made there');
  });

  it('catch a funded request placed outside its pool or period', () => {
    const f = sampleFacts();
    f.jobs[0]!.fabUnitId = 'unit-z';
    const g = sampleFacts();
    g.jobs[0]!.reserved = { start: '2026-03-08T20:00:00.000Z', end: '2026-03-09T02:00:00.000Z' };
    const name = 'every funded request was placed in its pool and period, every other one is unfunded';
    expect(failing(f).find((c) => c.name === name)!.detail).toContain('crutch tips, clinic: step 1 at unit-z, outside the pool');
    expect(failing(g).find((c) => c.name === name)!.detail).toContain("outside the round's period");
    expect(runChecks(sampleFacts()).find((c) => c.name === name)!.detail).toBe('1 funded request placed');
  });

  it('catch a decline not rerouted inside its pool and period, and a provenance that lost its design', () => {
    const rerouted = 'the declined job was rerouted inside its pool and period, and made there';
    expect(runChecks(sampleFacts()).find((c) => c.name === rerouted)!.detail).toBe('Fab Lab A → Fab Lab B, both of the paris pool');
    const f = sampleFacts();
    f.jobs[2]!.fabUnitId = 'unit-a';
    expect(failing(f).map((c) => c.detail)).toContain('job job-2 was rerouted to the same lab');
    const outside = sampleFacts();
    outside.jobs[2]!.fabUnitId = 'unit-c';
    outside.units['unit-c'] = 'Partner lab C';
    expect(failing(outside).map((c) => c.detail)).toContain('the rerouted job job-3 is at Partner lab C, outside the pool');
    const late = sampleFacts();
    late.jobs[2]!.reserved = { start: '2026-03-09T09:00:00.000Z', end: '2026-03-09T12:20:00.000Z' };
    expect(failing(late).find((c) => c.name === rerouted)!.detail).toContain("reserved 2026-03-09T09:00:00.000Z → 2026-03-09T12:20:00.000Z, outside the round's period");
    const g = sampleFacts();
    g.provenance!.view.design.contentHash = 'x'.repeat(64);
    g.provenance!.view.design.attribution = [];
    const detail = failing(g).find((c) => c.name.startsWith('the provenance'))!.detail;
    expect(detail).toContain('≠ the design');
    expect(detail).toContain('attribution lacks Aïcha Benali');
    const none = sampleFacts();
    none.connectors.declined = null;
    expect(failing(none).map((c) => c.name)).toEqual([rerouted]);
  });
});
