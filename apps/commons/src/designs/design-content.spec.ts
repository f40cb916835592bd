import { describe, expect, it } from '@jest/globals';
import { checkContent, type ContentInput } from './design-content.js';

const base: ContentInput = {
  title: ' Tube clamp ',
  function: 'Clamps a tube',
  license: 'CERN OHL v1.2',
  keywords: ['tube', 'clamp', 'tube'],
  requirements: [{ process: 'FFF', material: 'PLA filament', machineMinutesPerUnit: 10, materialQuantityPerUnit: 5, materialUnit: 'grams' }],
};

describe('checkContent', () => {
  it('canonicalises taxonomy names and the license, and fills the missing lists', () => {
    const r = checkContent(base);
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.content).toEqual({
      title: 'Tube clamp',
      function: 'Clamps a tube',
      license: 'CERN-OHL-1.2',
      licensors: [],
      contributors: [],
      keywords: ['clamp', 'tube'],
      bom: [],
      links: [],
      requirements: [{ process: '3d-printing.fdm', material: 'pla', machineMinutesPerUnit: 10, materialQuantityPerUnit: 5, materialUnit: 'g' }],
    });
  });

  it('names every step field the taxonomy does not know', () => {
    const r = checkContent({ ...base, requirements: [{ process: 'magic', material: 'air', machineMinutesPerUnit: 1, materialQuantityPerUnit: 1, materialUnit: 'smidgen' }] });
    expect(r).toEqual({
      ok: false,
      problem: 'invalid',
      errors: [
        { field: 'requirements.0.process', message: '"magic" is not a known process' },
        { field: 'requirements.0.material', message: '"air" is not a known material' },
        { field: 'requirements.0.materialUnit', message: '"smidgen" is not a known unit' },
      ],
    });
  });

  it('refuses blank titles and nameless people', () => {
    const r = checkContent({ ...base, title: '  ', contributors: [{ name: ' ' }] });
    expect(r.ok === false && r.problem === 'invalid' && r.errors.map((e) => e.field)).toEqual(['title', 'contributors.0.name']);
  });

  it.each(['CC-BY-NC-4.0', 'CC-BY-ND-4.0', 'All rights reserved', 'LicenseRef-mine'])('refuses the license %p, naming it', (license) => {
    const r = checkContent({ ...base, license });
    expect(r).toMatchObject({ ok: false, problem: 'license', license });
  });
});
