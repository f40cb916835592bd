import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parseOkhManifest, coerceVersion, type OkhImport, type OkhMediaType } from './okh-import.js';
import { Warnings } from './okh-values.js';

const data = (file: string): string => readFileSync(new URL(`../../../../data/okh/${file}`, import.meta.url), 'utf8');

function imported(body: string, mediaType: OkhMediaType): Exclude<OkhImport, { error: string }> {
  const r = parseOkhManifest(body, mediaType);
  if ('error' in r) throw new Error(r.error);
  return r;
}

function failed(body: string, mediaType: OkhMediaType): string {
  const r = parseOkhManifest(body, mediaType);
  if (!('error' in r)) throw new Error(`expected an error, got ${JSON.stringify(r)}`);
  return r.error;
}

describe('parseOkhManifest — the real manifests in data/okh', () => {
  it('LibreWater Acraea (clean OKH-LOSH) imports without warnings', () => {
    const r = imported(data('LibreWater-Acraea__okh.toml'), 'application/toml');
    expect(r.warnings).toEqual([]);
    expect(r.version).toBe('2.0.0');
    expect(r.name).toBe('Acraea-Prototype');
    expect(r.repo).toBe('https://codeberg.org/LibreWater/Acraea-Prototype/');
    expect(r.content.title).toBe('Acraea-Prototype');
    expect(r.content.function).toMatch(/^A Small Scale Solar Desalination/);
    expect(r.content.license).toBe('CERN-OHL-S-2.0');
    expect(r.content.licensors).toEqual([{ name: 'Terry Turtle', email: 'librewater@posteo.net', affiliation: 'LibreWater' }]);
    expect(r.content.links).toContainEqual({ kind: 'bom', url: 'bom.ods' });
    expect(r.content.links).toContainEqual({ kind: 'documentation', url: 'doc/assembly/wiring.odp', title: 'manufacturing instructions' });
    expect(r.content.requirements).toEqual([]);
    expect(r.content.extra).toEqual({
      okh: {
        flavour: 'OKH-LOSH',
        okhv: 'OKH-LOSHv1.0',
        organization: 'LibreWater',
        'documentation-language': 'en-GB',
        'technology-readiness-level': 'OTRL-3',
        'documentation-readiness-level': 'ODRL-3',
      },
    });
  });

  it('PlanktoScope imports; every warning is benign and says what was done', () => {
    const r = imported(data('PlanktoScope-PlanktoScope__okh.toml'), 'application/toml');
    expect(r.version).toBe('2.5.0');
    expect(r.content.license).toBe('CERN-OHL-S-2.0');
    expect(r.content.licensors.map((p) => p.name)).toEqual([
      'Thibaut Pollina', 'Romain Bazile', 'Adam Larson', 'Will Major', 'Sebastian Wendel',
    ]);
    expect(r.warnings).toEqual([
      'licensor: "Thibaut Pollina, Romain Bazile, Adam Larson, Will Major, Sebastian Wendel" read as 5 people',
      'part "PlanktoScope-Case": "outer-dimension-dim" is not an OKH-LOSH part key; kept in extra.okh',
      'part "PlanktoScope-Case": "outer-dimension" is not an OKH-LOSH part key; kept in extra.okh',
      'part "PlanktoScope-Case": no material given, so no requirement was derived for cnc-machining',
      'part "PlanktoScope-HAT": "outer-dimension-dim" is not an OKH-LOSH part key; kept in extra.okh',
      'part "PlanktoScope-HAT": "outer-dimension" is not an OKH-LOSH part key; kept in extra.okh',
      'part "PlanktoScope-HAT": no material given, so no requirement was derived for pcb-fabrication',
      'version: "2.5" is not semver; read as 2.5.0',
    ]);
    const okh = r.content.extra?.okh as { tsdc: string[]; part: Array<Record<string, unknown>> };
    expect(okh.tsdc).toEqual(['CNC', 'PCB', 'MEC', 'STD']);
    expect(okh.part[0]['outer-dimension']).toBe('cube(size = [275,125,105])');
    expect(r.content.links.filter((l) => l.kind === 'file').map((l) => l.url)).toEqual([
      '/hardware/case/PlanktoScope-Case.f3z', '/hardware/hat/Planktoscope-Hat.brd', '/hardware/hat/Planktoscope-Hat.sch',
    ]);
  });

  it('VentMon (OKH v1 YAML, SPDX licenses) imports; only its two-version string is coerced', () => {
    const r = imported(data('helpfulengineering-library__okh-ventmon-T0.4.yml'), 'application/yaml');
    expect(r.warnings).toEqual(['version: "v0.3T and V0.4T" is not semver; read as 0.4.0']);
    expect(r.version).toBe('0.4.0');
    expect(r.name).toBe('VentMon v0.4T');
    expect(r.repo).toBe('https://github.com/PubInv/ventmon-ventilator-inline-test-monitor');
    expect(r.content.license).toBe('CERN-OHL-1.2');
    expect(r.content.extra?.licenses).toEqual({ hardware: 'CERN-OHL-1.2', documentation: 'CC0-1.0', software: 'GPL-3.0-only' });
    expect(r.content.keywords).toEqual(['arduino', 'free software', 'open source', 'pandemic response', 'spirometry', 'ventilation']);
    expect(r.content.contributors).toEqual([
      { name: 'Lauria Clarke', affiliation: 'Public Invention' },
      { name: 'Geoff Mulligan', affiliation: 'Public Invention' },
      { name: 'Ben Coombs', affiliation: 'Public Invention' },
    ]);
    expect(r.content.links).toContainEqual({
      kind: 'file',
      url: 'https://github.com/PubInv/ventmon-ventilator-inline-test-monitor/tree/master/design/3dparts',
      title: '3d printed files can be found here',
    });
  });

  it('OpenFlexure (invalid YAML, non-SPDX licenses) imports with warnings naming the line and the licenses', () => {
    const r = imported(data('courk-openflexure-microscope__okh.yml'), 'application/yaml');
    expect(r.warnings).toEqual([
      'line 37: "user-handle: @OpenFlexure" is not valid YAML (a plain value cannot start with "@"); read as the string "@OpenFlexure"',
      'license.hardware: "CERN OHL v1.2" is not an SPDX id; read as CERN-OHL-1.2',
      'license.documentation: "GPL-3.0" is the deprecated SPDX id GPL-3.0; read as GPL-3.0-only, what SPDX defined it to mean',
      'license.software: "GPL-3.0" is the deprecated SPDX id GPL-3.0; read as GPL-3.0-only, what SPDX defined it to mean',
    ]);
    expect(r.version).toBe('6.0.0');
    expect(r.content.title).toBe('OpenFlexure Microscope');
    expect(r.content.license).toBe('CERN-OHL-1.2');
    expect(r.content.extra?.licenses).toEqual({ hardware: 'CERN-OHL-1.2', documentation: 'GPL-3.0-only', software: 'GPL-3.0-only' });
    expect(r.content.licensors).toEqual([{ name: 'Richard Bowman', email: 'rwb34@bath.ac.uk', affiliation: 'University of Bath' }]);
    const okh = r.content.extra?.okh as { contact: { social: Array<Record<string, string>> } };
    expect(okh.contact.social[0]['user-handle']).toBe('@OpenFlexure');
    expect(r.repo).toBeUndefined();
  });
});

describe('parseOkhManifest — OKH-LOSH parts become requirements where safe', () => {
  const toml = `
okhv = "OKH-LOSHv1.0"
name = "Tube clamp"
version = "1.2.0"
license = "CERN-OHL-W-2.0"
licensor = "Ada Lovelace <ada@example.org>"
function = "Clamps a 22 mm tube"
tsdc = ["3DP", "LAS"]

[[part]]
name = "Clamp body"
tsdc = "3DP"
printing-process = "FDM"
material = "PLA"
mass-g = 42.5
outer-dimensions-mm = "cube(size = [60, 40, 25])"

[[part]]
name = "Bracket"
tsdc = "CNC"
material = "aluminium 6061"
mass-kg = 0.25
smallest-tolerance-class = "IT9"
outer-dimensions-cm = "cube([10, 5, 1])"

[[part]]
name = "Cover"
tsdc = "LAS"
material = "acrylic glass"
thickness-mm = 3

[[part]]
name = "Gear"
tsdc = "3DP"
printing-process = "SLS"
material = "unobtainium"

[[part]]
name = "Spacer"
printing-process = "SLA"
material = "resin"
outer-dimensions-mm = "cylinder(h = 5, d = 12)"
`;

  it('derives steps, converts units and warns for every unknown number', () => {
    const r = imported(toml, 'application/toml');
    expect(r.content.requirements).toEqual([
      { process: '3d-printing.fdm', material: 'pla', machineMinutesPerUnit: 0, materialQuantityPerUnit: 42.5, materialUnit: 'g', envelopeMm: { x: 60, y: 40, z: 25 } },
      { process: 'cnc-machining', material: 'aluminium-6061', machineMinutesPerUnit: 0, materialQuantityPerUnit: 0.25, materialUnit: 'kg', tolerance: 'IT9', envelopeMm: { x: 100, y: 50, z: 10 } },
      { process: 'laser-cutting', material: 'acrylic', machineMinutesPerUnit: 0, materialQuantityPerUnit: 0, materialUnit: 'm2' },
      { process: '3d-printing.sla', material: 'resin', machineMinutesPerUnit: 0, materialQuantityPerUnit: 0, materialUnit: 'ml', envelopeMm: { x: 12, y: 12, z: 5 } },
    ]);
    expect(r.warnings).toEqual([
      'machine minutes unknown for part "Clamp body"; set to 0',
      'machine minutes unknown for part "Bracket"; set to 0',
      'part "Cover": material quantity unknown; set to 0',
      'machine minutes unknown for part "Cover"; set to 0',
      'part "Gear": unknown material "unobtainium", so no requirement was derived for 3d-printing.sls',
      'part "Spacer": material quantity unknown; set to 0',
      'machine minutes unknown for part "Spacer"; set to 0',
    ]);
    expect(r.content.licensors).toEqual([{ name: 'Ada Lovelace', email: 'ada@example.org' }]);
  });

  it('warns when a printing-process contradicts the part tsdc', () => {
    const r = imported('okhv = "OKH-LOSHv1.0"\nname = "x"\nversion = "1.0.0"\nlicense = "MIT"\nfunction = "f"\n[[part]]\nname = "p"\ntsdc = "CNC"\nprinting-process = "FDM"\nmaterial = "PLA"\nmass-g = 1\n', 'application/toml');
    expect(r.warnings).toContain('part "p": process 3d-printing.fdm does not belong to its tsdc CNC');
  });
});

describe('parseOkhManifest — JSON, either flavour', () => {
  it.each([
    [{ okhv: 'OKH-LOSHv1.0', name: 'Lamp', version: '1.0.0', license: 'CC-BY-SA-4.0', function: 'Gives light' }, 'Lamp', 'CC-BY-SA-4.0'],
    [{ title: 'Lamp', description: 'Gives light', version: '1.0.0', license: { hardware: 'CERN-OHL-P-2.0' } }, 'Lamp', 'CERN-OHL-P-2.0'],
    [{ title: 'Lamp', description: 'Gives light', version: '1.0.0', license: 'MIT' }, 'Lamp', 'MIT'],
  ])('%j', (doc, title, license) => {
    const r = imported(JSON.stringify(doc, null, 2), 'application/json');
    expect(r.content.title).toBe(title);
    expect(r.content.license).toBe(license);
    expect(r.warnings).toEqual([]);
  });

  it('falls back to the documentation license when there is no hardware license, and says so', () => {
    const r = imported(JSON.stringify({ title: 'Guide', description: 'd', version: '1.0.0', license: { documentation: 'CC-BY-4.0', software: 'MIT' } }), 'application/json');
    expect(r.content.license).toBe('CC-BY-4.0');
    expect(r.warnings).toEqual(["license: no hardware license; the documentation license CC-BY-4.0 is the version's license"]);
  });

  it('assumes 1.0.0 when the version is missing, and says so', () => {
    const r = imported(JSON.stringify({ title: 'x', description: 'd', license: 'MIT' }), 'application/json');
    expect(r.version).toBe('1.0.0');
    expect(r.warnings).toEqual(['version: missing; 1.0.0 assumed']);
  });
});

describe('parseOkhManifest — what cannot be read is an error naming the line or field', () => {
  it.each<[string, string, OkhMediaType, RegExp]>([
    ['empty', '   \n', 'application/yaml', /^manifest is empty$/],
    ['TOML syntax', 'okhv = "OKH-LOSHv1.0"\nname = \nversion = "1"\n', 'application/toml', /^TOML: line 2, column \d+: invalid value/],
    ['unclosed TOML string', 'name = "x\n', 'application/toml', /^TOML: line 1/],
    ['YAML duplicate key', 'title: a\ntitle: b\n', 'application/yaml', /^YAML: line 2, column 1: Map keys must be unique/],
    ['YAML bad indentation', 'title: a\nkeywords: [x,\n', 'application/yaml', /^YAML: line \d+, column \d+: /],
    ['YAML tab garbage', 'title: a\n\t- : : :\n', 'application/yaml', /^YAML: line 2/],
    ['JSON syntax', '{\n  "title": "x",\n  "license": }\n', 'application/json', /^JSON: line 3, column \d+: /],
    ['binary garbage', '\u0000\u0001\u0002', 'application/json', /^JSON: /],
    ['a list', '- a\n- b\n', 'application/yaml', /^manifest must be a table of fields, got a list$/],
    ['a scalar', 'just text', 'application/yaml', /^manifest must be a table of fields, got a string$/],
    ['no OKH keys', 'foo: 1\n', 'application/yaml', /^not an OKH manifest/],
    ['no title', 'title: "  "\nname: x\ndescription: d\n', 'application/yaml', /^field "title": required/],
    ['LOSH without name', 'okhv = "OKH-LOSHv1.0"\nlicense = "MIT"\n', 'application/toml', /^field "name": required/],
    ['no license', 'title: x\ndescription: d\n', 'application/yaml', /^field "license": no license given$/],
    ['empty license table', 'title: x\nlicense: {}\n', 'application/yaml', /^field "license": none of hardware, documentation, software is given$/],
    ['non-open hardware license', 'title: x\nlicense:\n  hardware: CC BY-NC 4.0\n', 'application/yaml', /^field "license.hardware": CC-BY-NC-4.0 is not an open license \(NonCommercial restricts use\)$/],
    ['unknown license', 'okhv = "OKH-LOSHv1.0"\nname = "x"\nlicense = "Acme Public Thing"\n', 'application/toml', /^field "license": unknown license "Acme Public Thing"$/],
    ['all rights reserved', 'title: x\nlicense: All rights reserved\n', 'application/yaml', /^field "license": "All rights reserved" is not an open license/],
    ['bad extension table', 'title: x\nlicense: MIT\ncosmolocal: 3\n', 'application/yaml', /^field "cosmolocal": must be a table$/],
    ['bad extension number', 'okhv = "OKH-LOSHv1.0"\nname = "x"\nlicense = "MIT"\n[[cosmolocal.requirement]]\nprocess = "FDM"\nmaterial = "PLA"\nmachine-minutes-per-unit = -5\nmaterial-quantity-per-unit = 1\nmaterial-unit = "g"\n', 'application/toml', /^field "cosmolocal.requirement\[0\].machine-minutes-per-unit": must be a number ≥ 0$/],
    ['extension step without material', 'okhv = "OKH-LOSHv1.0"\nname = "x"\nlicense = "MIT"\n[[cosmolocal.requirement]]\nprocess = "FDM"\n', 'application/toml', /^field "cosmolocal.requirement\[0\].material": required$/],
    ['bad envelope', 'okhv = "OKH-LOSHv1.0"\nname = "x"\nlicense = "MIT"\n[[cosmolocal.requirement]]\nprocess = "FDM"\nmaterial = "PLA"\nmachine-minutes-per-unit = 1\nmaterial-quantity-per-unit = 1\nmaterial-unit = "g"\nenvelope-mm = [1, 2]\n', 'application/toml', /^field "cosmolocal.requirement\[0\].envelope-mm": must be three positive numbers/],
    ['bad extra-json', 'okhv = "OKH-LOSHv1.0"\nname = "x"\nlicense = "MIT"\n[cosmolocal]\nextra-json = "{nope"\n', 'application/toml', /^field "cosmolocal.extra-json": not valid JSON/],
  ])('%s', (_, body, mediaType, message) => {
    expect(failed(body, mediaType)).toMatch(message);
  });
});

describe('parseOkhManifest — leniency', () => {
  it('repairs every reserved-indicator scalar and names each line', () => {
    const r = imported('title: x\nlicense: MIT\nversion: 1.0.0\ndescription: d\nhandles:\n  - @one\n  - `two` # note\n', 'application/yaml');
    expect(r.warnings).toEqual([
      'line 6: "- @one" is not valid YAML (a plain value cannot start with "@"); read as the string "@one"',
      'line 7: "- `two` # note" is not valid YAML (a plain value cannot start with "`"); read as the string "`two`"',
      '"handles" is not an OKH v1 key; kept in extra.okh',
    ]);
    expect((r.content.extra?.okh as Record<string, unknown>).handles).toEqual(['@one', '`two`']);
  });

  it('reads the flavour from the keys, not the media type (OKH v1 keys in TOML)', () => {
    const r = imported('title = "Lamp"\ndescription = "Gives light"\nversion = "1.0.0"\n[license]\nhardware = "CERN-OHL-S-2.0"\n', 'application/toml');
    expect(r.content.license).toBe('CERN-OHL-S-2.0');
    expect((r.content.extra?.okh as Record<string, unknown>).flavour).toBe('OKH v1');
  });

  it('reads a Cosmolocal extension in YAML as well', () => {
    const r = imported(
      [
        'title: Lamp', 'description: Gives light', 'version: 2.0.0', 'license: {hardware: CERN-OHL-S-2.0}',
        'cosmolocal:', '  slug: lamp', '  keywords: [light]',
        '  requirement:', '    - {process: FDM, material: PETG, machine-minutes-per-unit: 30, material-quantity-per-unit: 12, material-unit: grams}',
      ].join('\n'),
      'application/yaml',
    );
    expect(r.name).toBe('lamp');
    expect(r.content.keywords).toEqual(['light']);
    expect(r.content.requirements).toEqual([
      { process: '3d-printing.fdm', material: 'petg', machineMinutesPerUnit: 30, materialQuantityPerUnit: 12, materialUnit: 'g' },
    ]);
    expect(r.content.extra).toBeUndefined();
  });

  it('keeps unknown processes of the extension with a warning', () => {
    const r = imported('okhv = "OKH-LOSHv1.0"\nname = "x"\nversion = "1.0.0"\nlicense = "MIT"\nfunction = "f"\n[[cosmolocal.requirement]]\nprocess = "knitting"\nmaterial = "wool"\nmachine-minutes-per-unit = 1\nmaterial-quantity-per-unit = 1\nmaterial-unit = "g"\n', 'application/toml');
    expect(r.content.requirements[0].process).toBe('knitting');
    expect(r.warnings).toEqual([
      'cosmolocal.requirement[0].process: "knitting" is not a known process; kept as written',
      'cosmolocal.requirement[0].material: "wool" is not a known material; kept as written',
    ]);
  });
});

describe('coerceVersion', () => {
  it.each<[unknown, string, boolean]>([
    ['1.2.3', '1.2.3', false],
    ['0.0.1-24-g6a8a3a7', '0.0.1-24-g6a8a3a7', false],
    ['v0.3.1', '0.3.1', true],
    ['2.5', '2.5.0', true],
    ['0.4', '0.4.0', true],
    ['T0.4', '0.4.0', true],
    ['v0.3T and V0.4T', '0.4.0', true],
    ['1.2 (2019)', '1.2.0', true],
    [61, '61.0.0', true],
    [0.1, '0.1.0', true],
    ['v7', '7.0.0', true],
    ['6a8a3a7', '1.0.0', true],
    [undefined, '1.0.0', true],
    ['', '1.0.0', true],
  ])('%j → %s', (raw, expected, warns) => {
    const w = new Warnings();
    expect(coerceVersion(raw, w)).toBe(expected);
    expect(w.list.length > 0).toBe(warns);
  });
});
