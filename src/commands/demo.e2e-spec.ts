import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type DemoOutcome, runDemo } from '../demo/demo.js';
import { startTestSystem, type TestSystem } from '../../test/support/test-system.js';

jest.setTimeout(240_000);

/**
 * `npm run demo` in this process against the whole system (its own database and Redis
 * namespace): every step through the HTTP API, with the 2,237 real fab labs imported but only
 * a few labs equipped outside the councils, to stay quick. Run twice: the second run, on the
 * same database, must hold too (the imports merge, the labs are already equipped).
 */
describe('npm run demo', () => {
  let t: TestSystem;
  const runs: DemoOutcome[] = [];
  let printed = '';

  const demo = async () => {
    let report = '';
    const out = new Writable({
      write(chunk, _encoding, done) {
        report += String(chunk);
        done();
      },
    });
    const outcome = await runDemo({ config: t.config, baseUrl: t.system.url, out, err: null, scale: 1, seed: 7, units: 12 });
    printed = report;
    return outcome;
  };

  beforeAll(async () => {
    t = await startTestSystem();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('walks the whole cycle and every check holds', async () => {
    const outcome = await demo();
    runs.push(outcome);
    expect(outcome.checks.filter((c) => !c.ok)).toEqual([]);
    expect(outcome.code).toBe(0);
    expect(printed).toBe(outcome.report);
    expect(printed).toContain('All 10 checks hold.');

    const f = outcome.facts;
    expect(f.startedSystem).toBe(false);
    expect(f.okw).toMatchObject({ records: 2237 });
    expect(f.okw.created).toBeGreaterThan(2000);
    expect(f.designs.filter((d) => d.key)).toHaveLength(4);
    // Twin labs of four roles per council: two machines of every process in each pool.
    expect(f.equip.pooled).toBe(16);
    expect(f.councils.map((c) => c.region)).toEqual(['ile-de-france', 'sao-paulo']);
    for (const c of f.councils) {
      // The council had to choose: some requests funded, some not, for a reason.
      expect(c.result.funded.length).toBeGreaterThan(0);
      expect(c.result.candidates.filter((x) => !x.funded).length).toBeGreaterThan(0);
      expect(c.requests.every((r) => r.candidate)).toBe(true);
      expect(c.result.candidates.filter((x) => !x.funded).every((x) => x.shortResource?.endsWith('machine minutes'))).toBe(true);
      expect(Object.values(c.machinesPerProcess).every((n) => n >= 2)).toBe(true);
      // Every funded request was placed: none failed for want of room in the pool.
      for (const r of c.requests.filter((q) => q.id && c.result.funded.includes(q.id))) expect(r.stateAfterRound).toBe('funded');
    }
    expect(f.jobs.some((j) => j.state === 'failed')).toBe(true);
    const declined = f.jobs.filter((j) => j.state === 'declined');
    expect(declined).toHaveLength(1);
    const rerouted = f.jobs.find((j) => j.reroutedFrom === declined[0]!.id)!;
    const council = f.councils.find((c) => c.requests.some((r) => r.id === rerouted.requestId))!;
    expect(council.poolUnitIds).toEqual(expect.arrayContaining([declined[0]!.fabUnitId, rerouted.fabUnitId]));
    expect(rerouted.fabUnitId).not.toBe(declined[0]!.fabUnitId);
    expect(Date.parse(rerouted.reserved!.start)).toBeGreaterThanOrEqual(Date.parse(council.periodFrom));
    expect(Date.parse(rerouted.reserved!.end)).toBeLessThanOrEqual(Date.parse(council.periodTo));
    expect(f.provenance?.view.design.contentHash).toBe(f.provenance?.expectedContentHash);

    // What the demo reported is what the database holds.
    const funded = f.councils.flatMap((c) => c.result.funded);
    const jobs = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM production.jobs WHERE request_id = ANY($1)`, [funded]);
    expect(Number(jobs[0]!.n)).toBe(f.jobs.length);
    const units = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM fabrication.fab_units`);
    expect(Number(units[0]!.n)).toBe(f.okw.created);
  });

  it('runs again on the same database: the import changes nothing, the checks hold', async () => {
    const outcome = await demo();
    runs.push(outcome);
    expect(outcome.checks.filter((c) => !c.ok)).toEqual([]);
    expect(outcome.code).toBe(0);
    expect(outcome.facts.okw.created).toBe(0);
    expect(outcome.facts.equip.alreadyEquipped).toBe(outcome.facts.equip.selected);
    expect(printed).toContain('imported by an earlier run: a second import changes nothing');
    expect(outcome.facts.runId).not.toBe(runs[0]!.facts.runId);
  });
});
