/** Designs as the e2e tests of the commons routes publish them. */
export function clampDesign(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Tube clamp 22 mm',
    function: 'Clamps a 22 mm tube to a 2040 aluminium profile',
    license: 'CERN-OHL-S-2.0',
    licensors: [{ name: 'Ada Lovelace', email: 'ada@example.org' }],
    contributors: [{ name: 'Charles Babbage' }],
    keywords: ['clamp', 'tube'],
    bom: [{ item: 'M5x10 screw', quantity: 2, unit: 'pcs' }],
    links: [{ kind: 'source', url: 'https://codeberg.org/example/clamp' }],
    requirements: [
      {
        process: 'FDM',
        material: 'PETG',
        envelopeMm: { x: 60, y: 40, z: 30 },
        machineMinutesPerUnit: 95,
        materialQuantityPerUnit: 42.5,
        materialUnit: 'grams',
      },
    ],
    ...overrides,
  };
}
