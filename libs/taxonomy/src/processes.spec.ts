import { describe, expect, it } from '@jest/globals';
import {
  PROCESSES,
  canonicalProcess,
  processAncestors,
  processSatisfies,
  processWithDescendants,
} from './processes.js';

describe('canonicalProcess', () => {
  it.each([
    ['3d-printing', '3d-printing'],
    ['3d-printing.fdm', '3d-printing.fdm'],
    ['FDM', '3d-printing.fdm'],
    ['fdm', '3d-printing.fdm'],
    ['fused deposition modeling', '3d-printing.fdm'],
    ['Fused_Filament_Fabrication', '3d-printing.fdm'],
    ['3D printing', '3d-printing'],
    ['3D-Printing', '3d-printing'],
    ['  3d_printing ', '3d-printing'],
    ['SLA', '3d-printing.sla'],
    ['stereolithography', '3d-printing.sla'],
    ['selective laser sintering', '3d-printing.sls'],
    ['MJF', '3d-printing.mjf'],
    ['DMLS', '3d-printing.dmls'],
    ['SLM', '3d-printing.dmls'],
    ['laser cutter', 'laser-cutting'],
    ['Laser Cutting', 'laser-cutting'],
    ['laser engraver', 'laser-engraving'],
    ['CNC mill', 'cnc-milling'],
    ['CNC lathe', 'cnc-turning'],
    ['CNC router', 'cnc-routing'],
    ['PCBA', 'pcb-assembly'],
    ['printed circuit board', 'pcb-fabrication'],
    ['soldering station', 'soldering'],
    ['TIG', 'welding.tig'],
    ['sewing machine', 'sewing'],
    ['waterjet', 'waterjet-cutting'],
    ['vinyl cutter', 'vinyl-cutting'],
    ['injection molding', 'injection-moulding'],
    ['press brake', 'sheet-metal-bending'],
    ['casting', 'casting'],
    ['assembly line', 'assembly'],
  ])('alias %j → %s', (input, expected) => {
    expect(canonicalProcess(input)).toBe(expected);
  });

  // TsDC codes from OKH-LOSH manifests; MEC, CIR and STD name documentation areas, not processes.
  it.each([
    ['3DP', '3d-printing'],
    ['LAS', 'laser-cutting'],
    ['CNC', 'cnc-machining'],
    ['PCB', 'pcb-fabrication'],
    ['ASM', 'assembly'],
    ['WEL', 'welding'],
    ['3dp', '3d-printing'],
    ['MEC', undefined],
    ['CIR', undefined],
    ['STD', undefined],
  ])('TsDC %s → %s', (input, expected) => {
    expect(canonicalProcess(input)).toBe(expected);
  });

  it.each([
    ['Q229367', '3d-printing'],
    ['q229367', '3d-printing'],
    ['wd:Q211387', 'soldering'],
    ['Q211387', 'soldering'],
    ['https://www.wikidata.org/wiki/Q211387', 'soldering'],
    ['http://www.wikidata.org/entity/Q3062349', 'laser-cutting'],
    ['Q652122', 'sewing'],
    ['Q1', undefined],
  ])('Wikidata %s → %s', (input, expected) => {
    expect(canonicalProcess(input)).toBe(expected);
  });

  // The supply-graph-ai OKW sample names processes by Wikipedia article.
  it.each([
    ['https://en.wikipedia.org/wiki/Fused_filament_fabrication', '3d-printing.fdm'],
    ['https://en.wikipedia.org/wiki/SLA_printer', '3d-printing.sla'],
    ['https://en.wikipedia.org/wiki/3D_printer', '3d-printing'],
    ['https://en.wikipedia.org/wiki/Assembly_line', 'assembly'],
    ['https://en.wikipedia.org/wiki/Post-processing', undefined],
  ])('Wikipedia %s → %s', (input, expected) => {
    expect(canonicalProcess(input)).toBe(expected);
  });

  it.each(['', '   ', 'knitting', 'teleportation'])('unknown %j → undefined', (input) => {
    expect(canonicalProcess(input)).toBeUndefined();
  });

  it('resolves every id, name and alias of the table to its own process', () => {
    for (const p of PROCESSES) {
      for (const name of [p.id, p.name, ...p.aliases]) expect([name, canonicalProcess(name)]).toEqual([name, p.id]);
      if (p.tsdc) expect(canonicalProcess(p.tsdc)).toBe(p.id);
      if (p.wikidata) expect(canonicalProcess(p.wikidata)).toBe(p.id);
    }
  });

  it('has a parent for every child that exists and no cycles', () => {
    const ids = new Set(PROCESSES.map((p) => p.id));
    expect(ids.size).toBe(PROCESSES.length);
    for (const p of PROCESSES) {
      if (p.parent) expect(ids.has(p.parent)).toBe(true);
      expect(processAncestors(p.id).length).toBeLessThan(PROCESSES.length);
    }
  });

  it('knows the ids the matching engine relies on', () => {
    const needed = [
      '3d-printing', '3d-printing.fdm', '3d-printing.sla', '3d-printing.sls', '3d-printing.mjf', '3d-printing.dmls',
      'laser-cutting', 'laser-engraving', 'cnc-milling', 'cnc-turning', 'cnc-routing', 'pcb-fabrication', 'pcb-assembly',
      'soldering', 'welding', 'sewing', 'assembly', 'waterjet-cutting', 'vinyl-cutting', 'injection-moulding', 'casting',
      'sheet-metal-bending',
    ];
    for (const id of needed) expect(canonicalProcess(id)).toBe(id);
  });
});

describe('processSatisfies', () => {
  it.each([
    ['3d-printing.fdm', '3d-printing', true],
    ['3d-printing', '3d-printing', true],
    ['3d-printing.fdm', '3d-printing.fdm', true],
    ['3d-printing.fdm', '3d-printing.sla', false],
    ['3d-printing', '3d-printing.fdm', false],
    ['3d-printing.sls', '3d-printing', true],
    ['laser-cutting', 'laser-engraving', true],
    ['laser-engraving', 'laser-cutting', false],
    ['cnc-milling', 'cnc-machining', true],
    ['cnc-milling', 'cnc-turning', false],
    ['welding.tig', 'welding', true],
    ['soldering', 'pcb-assembly', false],
    ['FDM', '3D printing', true],
    ['Q229367', '3d-printing', true],
    ['SLA printer', 'FDM', false],
    ['knitting', 'Knitting', true],
    ['knitting', 'crochet', false],
    ['knitting', '3d-printing', false],
    ['3d-printing', 'knitting', false],
    ['', '', false],
  ])('%s offered for %s required → %s', (offered, required, expected) => {
    expect(processSatisfies(offered, required)).toBe(expected);
  });
});

describe('processWithDescendants', () => {
  it.each([
    ['3d-printing', ['3d-printing', '3d-printing.fdm', '3d-printing.sla', '3d-printing.sls', '3d-printing.mjf', '3d-printing.dmls']],
    ['3d-printing.fdm', ['3d-printing.fdm']],
    ['laser-engraving', ['laser-engraving', 'laser-cutting']],
    ['CNC', ['cnc-machining', 'cnc-milling', 'cnc-turning', 'cnc-routing']],
    ['welding', ['welding', 'welding.mig', 'welding.tig']],
    ['knitting', []],
  ])('%s → %j', (id, expected) => {
    expect(processWithDescendants(id)).toEqual(expected);
  });

  it('agrees with processSatisfies for every pair', () => {
    for (const r of PROCESSES) {
      const below = new Set(processWithDescendants(r.id));
      for (const o of PROCESSES) expect(processSatisfies(o.id, r.id)).toBe(below.has(o.id));
    }
  });
});
