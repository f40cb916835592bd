import type { BuildEnvelopeMm, DesignLink, DesignVersionContent, ManufacturingStep } from '#libs/contracts/src/commons/design-version.js';
import {
  canonicalMaterial,
  canonicalProcess,
  convertQuantity,
  getMaterial,
  getUnit,
  processAncestors,
} from '#libs/taxonomy/src/index.js';
import { isTable, link, openLicense, people, plain, str, strList, type Table, Warnings } from './okh-values.js';

/** What a flavour mapper gives back before the Cosmolocal extension and version are applied. */
export interface MappedManifest {
  content: DesignVersionContent;
  name: string;
  repo?: string;
  rawVersion: unknown;
}

/** Module keys of OKH-LOSH (OKH-LOSH.md and the later okh-losh.schema.json). */
const MODULE_KEYS = new Set([
  'okhv', 'name', 'repo', 'version', 'release', 'license', 'licensor', 'organization', 'organisation',
  'readme', 'contribution-guide', 'image', 'documentation-language', 'technology-readiness-level',
  'documentation-readiness-level', 'attestation', 'publication', 'function', 'standard-compliance',
  'cpc-patent-class', 'tsdc', 'bom', 'manufacturing-instructions', 'user-manual', 'outer-dimensions',
  'outer-dimensions-mm', 'joining-process', 'mass', 'source', 'export', 'auxiliary', 'software', 'part',
  'fork-of', 'upload-method', 'data-source', 'cosmolocal',
]);

/** Part keys, including the per-process production metadata (3DP, CNC, laser, PCB, welding). */
const PART_KEYS = new Set([
  'name', 'image', 'tsdc', 'source', 'export', 'auxiliary', 'license', 'licensor', 'documentation-language',
  'material', 'manufacturing-process', 'printing-process', 'mass', 'mass-g', 'mass-kg', 'outer-dimensions',
  'outer-dimensions-mm', 'outer-dimensions-cm', 'outer-dimensions-m', 'infill', 'rafts', 'supports',
  'resolution', 'shell-thickness', 'top-bottom-thickness', 'smallest-tolerance-class',
  'smallest-inner-radius-mm', 'engraving-depth-mm', 'resolution-dpi', 'thickness-mm', '2d-size-mm',
  'board-thickness-mm', 'copper-thickness-mm', 'typical-trace-width-mm', 'smallest-trace-width-mm',
  'typical-space-copper-copper-mm', 'smallest-space-copper-copper-mm', 'smallest-via-diameter-mm',
  'component-sides', 'silkscreen-sides', 'solder-mask-sides', 'layer-count', 'multi-copper-thickness-mm',
  'multi-isolator-thickness-mm', 'welding-process', 'welder-certification', 'surface-finishing-process',
  'surcace-finishing-process',
]);

/** Keys that become content (title, function, license, people, links); the rest is kept in extra.okh. */
const MAPPED_KEYS = new Set([
  'name', 'function', 'license', 'licensor', 'version', 'repo', 'release', 'readme', 'image', 'bom',
  'manufacturing-instructions', 'user-manual', 'contribution-guide', 'source', 'export', 'cosmolocal',
]);

export function mapOkhLosh(doc: Table, warnings: Warnings): MappedManifest | { error: string } {
  const name = str(doc.name);
  if (!name) return { error: 'field "name": required (the OKH-LOSH title of the module)' };
  const okhv = str(doc.okhv);
  if (okhv && !/^okh-losh/i.test(okhv)) warnings.add('okhv', `okhv: "${okhv}" is not an OKH-LOSH version; read as OKH-LOSH`);

  const license = openLicense(Array.isArray(doc.license) ? doc.license.map(String).join(' AND ') : doc.license, 'license', warnings);
  if ('error' in license) return license;
  if (Array.isArray(doc.license)) warnings.add('license', `license: a list of licenses read as all applying (AND): ${license.spdx}`);

  const fn = str(doc.function);
  if (!fn) warnings.add('function', 'function: missing; the version has no functional description');

  for (const key of Object.keys(doc)) {
    if (!MODULE_KEYS.has(key)) warnings.add(key, `"${key}" is not an OKH-LOSH key; kept in extra.okh`);
  }

  const repo = str(doc.repo);
  const links: DesignLink[] = [
    link('source', repo),
    link('release', doc.release),
    link('documentation', doc.readme, 'readme'),
    link('image', doc.image),
    link('bom', doc.bom),
    ...strList(doc['manufacturing-instructions']).map((u) => link('documentation', u, 'manufacturing instructions')),
    link('documentation', doc['user-manual'], 'user manual'),
    link('documentation', doc['contribution-guide'], 'contribution guide'),
    ...strList(doc.source).map((u) => link('file', u, 'source')),
    ...strList(doc.export).map((u) => link('file', u, 'export')),
  ].filter((l): l is DesignLink => l !== undefined);

  const licensors = people(doc.licensor, 'licensor', warnings);
  const organization = str(doc.organization) ?? str(doc.organisation);
  if (organization) for (const p of licensors) p.affiliation ??= organization;

  const parts = Array.isArray(doc.part) ? doc.part : doc.part === undefined ? [] : [doc.part];
  const requirements: ManufacturingStep[] = [];
  parts.forEach((part, i) => {
    if (!isTable(part)) {
      warnings.add(`part[${i}]`, `part[${i}]: not a table; kept in extra.okh`);
      return;
    }
    const step = stepFromPart(part, i, warnings);
    if (step) requirements.push(step);
  });

  const okh: Table = { flavour: 'OKH-LOSH' };
  for (const [k, v] of Object.entries(doc)) if (!MAPPED_KEYS.has(k)) okh[k] = plain(v);

  return {
    content: {
      title: name,
      function: fn ?? '',
      license: license.spdx,
      licensors,
      contributors: [],
      keywords: [],
      bom: [],
      links,
      requirements,
      extra: { okh },
    },
    name,
    repo,
    rawVersion: doc.version,
  };
}

/**
 * A manufacturing step from a LOSH part, only where it is safe: a known process (its
 * printing-process, else the one process its TsDC codes name) and a known material. Unknown
 * machine minutes become 0 and an unknown quantity 0, each with a warning, so the design can be
 * published and the numbers filled in later.
 */
function stepFromPart(part: Table, index: number, warnings: Warnings): ManufacturingStep | undefined {
  const label = `part "${str(part.name) ?? index + 1}"`;
  const field = `part[${index}]`;
  for (const key of Object.keys(part)) {
    if (!PART_KEYS.has(key)) warnings.add(field, `${label}: "${key}" is not an OKH-LOSH part key; kept in extra.okh`);
  }

  const tsdc = strList(part.tsdc);
  const fromTsdc = [...new Set(tsdc.map((c) => canonicalProcess(c)).filter((p): p is string => p !== undefined))];
  let process: string | undefined;
  const printing = str(part['printing-process']) ?? str(part['manufacturing-process']);
  if (printing) {
    process = canonicalProcess(printing);
    if (!process) warnings.add(field, `${label}: unknown process "${printing}"`);
  }
  if (!process && fromTsdc.length === 1) process = fromTsdc[0];
  if (process && fromTsdc.length > 0 && !fromTsdc.some((t) => processAncestors(process!).includes(t))) {
    warnings.add(field, `${label}: process ${process} does not belong to its tsdc ${tsdc.join(', ')}`);
  }

  const materialText = str(part.material);
  const material = materialText ? canonicalMaterial(materialText) : undefined;
  const what = tsdc.length ? ` (tsdc ${tsdc.join(', ')})` : '';
  if (!process) {
    warnings.add(field, `${label}: no single manufacturing process given${what}, so no requirement was derived`);
    return undefined;
  }
  if (!material) {
    warnings.add(
      field,
      materialText
        ? `${label}: unknown material "${materialText}", so no requirement was derived for ${process}`
        : `${label}: no material given, so no requirement was derived for ${process}`,
    );
    return undefined;
  }

  const quantity = partQuantity(part, material);
  if (!quantity) warnings.add(field, `${label}: material quantity unknown; set to 0`);
  warnings.add(field, `machine minutes unknown for ${label}; set to 0`);
  const step: ManufacturingStep = {
    process,
    material,
    machineMinutesPerUnit: 0,
    materialQuantityPerUnit: quantity?.value ?? 0,
    materialUnit: quantity?.unit ?? getMaterial(material)?.defaultUnit ?? 'pcs',
  };
  const envelope = partEnvelope(part);
  if (envelope) step.envelopeMm = envelope;
  const tolerance = str(part['smallest-tolerance-class']);
  if (tolerance) step.tolerance = tolerance;
  return step;
}

/** The part's mass, in the material's usual unit when that is a mass unit. */
function partQuantity(part: Table, material: string): { value: number; unit: string } | undefined {
  const given: Array<[unknown, string]> = [[part['mass-g'], 'g'], [part['mass-kg'], 'kg'], [part.mass, 'g']];
  for (const [v, unit] of given) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) continue;
    const target = getMaterial(material)?.defaultUnit;
    if (target && getUnit(target)?.dimension === 'mass') return { value: convertQuantity(v, unit, target), unit: target };
    return { value: v, unit };
  }
  return undefined;
}

const UNIT_MM: Record<string, number> = { 'outer-dimensions-mm': 1, 'outer-dimensions-cm': 10, 'outer-dimensions-m': 1000, 'outer-dimensions': 1 };

/** OpenSCAD `cube([x,y,z])` / `cube(size = [x,y,z])` / `cylinder(h=…, d=…|r=…)` → envelope in mm. */
export function partEnvelope(part: Table): BuildEnvelopeMm | undefined {
  const table = part['outer-dimensions'];
  if (isTable(table)) {
    // The template's table form: { openSCAD = "cube(…)", unit = "mm" }.
    const e = openScadEnvelope(str(table.openSCAD) ?? str(table.openscad) ?? '');
    const factor = { mm: 1, cm: 10, m: 1000 }[str(table.unit) ?? 'mm'];
    if (e && factor) return { x: e.x * factor, y: e.y * factor, z: e.z * factor };
  }
  for (const [key, factor] of Object.entries(UNIT_MM)) {
    const text = str(part[key]);
    if (!text) continue;
    const e = openScadEnvelope(text);
    if (e) return { x: e.x * factor, y: e.y * factor, z: e.z * factor };
  }
  return undefined;
}

export function openScadEnvelope(text: string): BuildEnvelopeMm | undefined {
  const num = String.raw`(-?\d+(?:\.\d+)?)`;
  const cube = new RegExp(String.raw`^\s*cube\s*\(\s*(?:size\s*=\s*)?\[\s*${num}\s*,\s*${num}\s*,\s*${num}\s*\]`, 'i').exec(text);
  if (cube) return { x: Math.abs(+cube[1]), y: Math.abs(+cube[2]), z: Math.abs(+cube[3]) };
  if (/^\s*cylinder\s*\(/i.test(text)) {
    const h = new RegExp(String.raw`\bh\s*=\s*${num}`, 'i').exec(text);
    const d = new RegExp(String.raw`\bd\s*=\s*${num}`, 'i').exec(text);
    const r = new RegExp(String.raw`\br\s*=\s*${num}`, 'i').exec(text);
    const dia = d ? +d[1] : r ? 2 * +r[1] : undefined;
    if (h && dia !== undefined) return { x: dia, y: dia, z: +h[1] };
  }
  return undefined;
}
