import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import type { DesignVersionContent } from '#libs/contracts/src/commons/design-version.js';
import { contentHash } from '../designs/content-hash.js';
import { toOkhLoshToml } from './okh-export.js';
import { parseOkhManifest, type OkhMediaType } from './okh-import.js';

const data = (file: string): string => readFileSync(new URL(`../../../../data/okh/${file}`, import.meta.url), 'utf8');

/** A design as typed into Cosmolocal: every field used, aliases and messy spacing included. */
const handwritten: DesignVersionContent = {
  title: '  Compost sieve — Mk II ',
  function: 'Sieves compost into two grades.\nFits a 60 L bin.',
  license: 'CERN-OHL-S-2.0 AND (CC-BY-SA-4.0 OR GPL-3.0-or-later WITH GCC-exception-3.1)',
  licensors: [{ name: 'Ada Lovelace', email: 'ada@example.org', handle: '@ada', role: 'designer', affiliation: 'Fab Lab Kreuzberg' }],
  contributors: [
    { name: 'Bo', role: 'tester' },
    { name: 'Żaneta "Zee" O\'Brien', email: 'zee@example.org' },
  ],
  keywords: ['sieve', 'compost', 'garden', 'compost'],
  bom: [
    { item: 'M6 bolt', quantity: 8, material: 'Stainless Steel', unit: 'pieces' },
    { item: 'Frame', quantity: 1, material: 'plywood', unit: 'm²' },
    { item: 'Mesh', quantity: 0.36 },
  ],
  links: [
    { kind: 'source', url: 'https://codeberg.org/ada/sieve' },
    { kind: 'image', url: 'img/sieve.jpg', title: 'Front view' },
    { kind: 'bom', url: 'bom.csv' },
  ],
  requirements: [
    { process: 'laser cutter', material: 'Birch Plywood', machineMinutesPerUnit: 12.5, materialQuantityPerUnit: 0.72, materialUnit: 'm2', envelopeMm: { x: 600, y: 400, z: 9 } },
    { process: 'FDM', material: 'PETG', machineMinutesPerUnit: 95, materialQuantityPerUnit: 42.5, materialUnit: 'grams', tolerance: 'ISO 2768-m', envelopeMm: { x: 180, y: 180, z: 120 } },
    { process: 'cnc-milling', material: 'AlMg1SiCu', machineMinutesPerUnit: 30, materialQuantityPerUnit: 0.4, materialUnit: 'kg' },
    { process: 'welding.tig', material: 'stainless steel', machineMinutesPerUnit: 20, materialQuantityPerUnit: 0.05, materialUnit: 'kg' },
    { process: 'assembly', material: 'fasteners', machineMinutesPerUnit: 15, materialQuantityPerUnit: 8, materialUnit: 'pcs' },
  ],
  extra: { note: 'tested in 3 gardens', nested: { list: [1, 'two', null, { deep: true }] }, empty: '' },
};

const meta = { version: '2.1.0', designId: '0b8a4c7e-6d0e-4b5e-9f0a-3d2c1b0a9f8e', slug: 'compost-sieve', repo: 'https://codeberg.org/ada/sieve' };

function reimport(toml: string): Exclude<ReturnType<typeof parseOkhManifest>, { error: string }> {
  const r = parseOkhManifest(toml, 'application/toml');
  if ('error' in r) throw new Error(r.error);
  return r;
}

describe('toOkhLoshToml', () => {
  it('writes a valid OKH-LOSH manifest with the standard keys', () => {
    const doc = parseToml(toOkhLoshToml(handwritten, meta));
    expect(doc).toMatchObject({
      okhv: 'OKH-LOSHv1.0',
      name: 'Compost sieve — Mk II',
      version: '2.1.0',
      repo: 'https://codeberg.org/ada/sieve',
      license: 'CERN-OHL-S-2.0 AND (CC-BY-SA-4.0 OR GPL-3.0-or-later WITH GCC-exception-3.1)',
      licensor: 'Ada Lovelace <ada@example.org>',
      function: 'Sieves compost into two grades.\nFits a 60 L bin.',
      image: 'img/sieve.jpg',
      bom: 'bom.csv',
      tsdc: ['LAS', '3DP', 'CNC', 'WEL', 'ASM'],
    });
    expect(doc.cosmolocal).toMatchObject({ 'extension-version': 1, 'design-id': meta.designId, slug: 'compost-sieve' });
  });

  it('round-trips the handwritten design: same hash, same version, the slug as name, no warnings', () => {
    const r = reimport(toOkhLoshToml(handwritten, meta));
    expect(contentHash(r.content)).toBe(contentHash(handwritten));
    expect(r.version).toBe('2.1.0');
    expect(r.name).toBe('compost-sieve');
    expect(r.repo).toBe(meta.repo);
    expect(r.warnings).toEqual([]);
    expect(r.content.requirements[1]).toEqual({
      process: '3d-printing.fdm', material: 'petg', machineMinutesPerUnit: 95, materialQuantityPerUnit: 42.5,
      materialUnit: 'g', tolerance: 'ISO 2768-m', envelopeMm: { x: 180, y: 180, z: 120 },
    });
  });

  it('is stable: exporting the re-imported content gives the same text', () => {
    const once = toOkhLoshToml(handwritten, meta);
    expect(toOkhLoshToml(reimport(once).content, meta)).toBe(once);
  });

  it('round-trips a minimal design', () => {
    const minimal: DesignVersionContent = { title: 'x', function: '', license: 'MIT', licensors: [], contributors: [], keywords: [], bom: [], links: [], requirements: [] };
    const r = reimport(toOkhLoshToml(minimal, { version: '1.0.0', designId: 'd', slug: 'x' }));
    expect(contentHash(r.content)).toBe(contentHash(minimal));
    expect(r.warnings).toEqual(['function: missing; the version has no functional description']);
  });

  it.each<[string, OkhMediaType]>([
    ['LibreWater-Acraea__okh.toml', 'application/toml'],
    ['PlanktoScope-PlanktoScope__okh.toml', 'application/toml'],
    ['helpfulengineering-library__okh-ventmon-T0.4.yml', 'application/yaml'],
    ['courk-openflexure-microscope__okh.yml', 'application/yaml'],
  ])('round-trips %s with the same hash and without new warnings', (file, mediaType) => {
    const first = parseOkhManifest(data(file), mediaType);
    if ('error' in first) throw new Error(first.error);
    const again = reimport(toOkhLoshToml(first.content, { version: first.version, designId: 'd', slug: first.name }));
    expect(contentHash(again.content)).toBe(contentHash(first.content));
    expect(again.content).toEqual(first.content);
    expect(again.version).toBe(first.version);
    expect(again.name).toBe(first.name);
    expect(again.warnings).toEqual([]);
  });
});
