import { describe, expect, it } from '@jest/globals';
import { runChecks } from './checks.js';
import { sampleFacts } from './demo-fixtures.js';
import { clip, credits, renderReport, table } from './report.js';

describe('the demo report', () => {
  it('aligns columns, numbers to the right', () => {
    const text = table(['request', 'votes'], [['crutch tips', 12], ['sensor boxes, canal', 3]]);
    expect(text.split('\n')).toEqual([
      '  request              votes',
      '  -------------------  -----',
      '  crutch tips             12',
      '  sensor boxes, canal      3',
    ]);
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(credits('1234.5')).toBe('1,234.50');
    expect(credits('8390879/1500')).toBe('5,593.92');
  });

  it('says what was funded and why, what was not and why, capacity, jobs, provenance and the checks', () => {
    const facts = sampleFacts();
    const report = renderReport(facts, runChecks(facts));
    for (const heading of ['1. Designs', '2. Fab labs', '3. Councils', 'Funded, and why', 'Not funded, and why', '4. Capacity used', '5. Production', '6. Provenance', '7. Checks']) {
      expect(report).toContain(heading);
    }
    expect(report).toContain('not enough 3d-printing.fdm machine minutes left (needs 285, 220 left)');
    expect(report).toContain('okh/broken.yml was refused: 400 Bad manifest: line 3');
    expect(report).toMatch(/3d-printing\.fdm\s+10\.0\s+11\.1\s+6\.3\s+63 %/);
    expect(report).toContain("→ rerouted inside the pool to Fab Lab B, reserved 2026-03-02 12:00 → 2026-03-02 15:20 inside the round's period, and completed there");
    expect(report).toContain('2 labs pooled (2 machines of each process)');
    expect(report).toContain('content hash ' + 'h'.repeat(64));
    expect(report).toContain('All 10 checks hold.');
    const failed = sampleFacts();
    failed.connectors.declined = null;
    expect(renderReport(failed, runChecks(failed))).toContain('1 of 10 checks FAILED: the declined job was rerouted inside its pool and period, and made there');
  });
});
