import type {
  BomItem,
  Contributor,
  DesignLink,
  DesignVersionContent,
  ManufacturingStep,
} from '#libs/contracts/src/commons/design-version.js';
import { canonicalMaterial, canonicalProcess, canonicalUnit } from '#libs/taxonomy/src/index.js';
import { isTable, people, str, type Table, Warnings } from './okh-values.js';

/**
 * Cosmolocal's extension of an OKH manifest: what OKH cannot say (structured manufacturing
 * requirements, a structured BOM, typed links, people with roles, extra metadata), so that
 * export → import is lossless. It lives under one top-level key, `cosmolocal`, which OKH
 * readers ignore (OKH v1 allows additional properties; LOSH crawlers skip unknown keys).
 * In TOML:
 *
 *   [cosmolocal]
 *   extension-version = 1
 *   design-id = "…"            # provenance, not content
 *   slug = "…"
 *   keywords = ["…"]
 *   extra-json = '{"…": …}'    # JSON text: TOML has no null and no heterogeneous tables
 *
 *   [[cosmolocal.requirement]] # one per manufacturing step, in order
 *   process = "3d-printing.fdm"            # libs/taxonomy id
 *   material = "pla"
 *   machine-minutes-per-unit = 95
 *   material-quantity-per-unit = 42.5
 *   material-unit = "g"
 *   tolerance = "ISO 2768-m"               # optional
 *   envelope-mm = [180, 180, 120]          # optional, x y z
 *
 *   [[cosmolocal.bom]]         item, quantity, material?, unit?
 *   [[cosmolocal.link]]        kind, url, title?
 *   [[cosmolocal.licensor]]    name, email?, handle?, role?, affiliation?
 *   [[cosmolocal.contributor]] same as licensor
 *
 * When the table is present it is authoritative for everything but title, function and
 * license, which stay in the standard OKH fields. The same shape works in YAML and JSON.
 */
export const COSMOLOCAL_KEY = 'cosmolocal';
export const COSMOLOCAL_EXTENSION_VERSION = 1;

export interface CosmolocalExtension {
  designId?: string;
  slug?: string;
  keywords: string[];
  licensors: Contributor[];
  contributors: Contributor[];
  requirements: ManufacturingStep[];
  bom: BomItem[];
  links: DesignLink[];
  extra?: Record<string, unknown>;
}

export function writeCosmolocalExtension(
  c: DesignVersionContent,
  meta: { designId?: string; slug?: string },
): Table {
  const out: Table = { 'extension-version': COSMOLOCAL_EXTENSION_VERSION };
  if (meta.designId) out['design-id'] = meta.designId;
  if (meta.slug) out.slug = meta.slug;
  out.keywords = [...c.keywords];
  if (c.extra && Object.keys(c.extra).length > 0) out['extra-json'] = JSON.stringify(c.extra);
  out.licensor = c.licensors.map(personTable);
  out.contributor = c.contributors.map(personTable);
  out.requirement = c.requirements.map((s) =>
    compact({
      process: s.process,
      material: s.material,
      'machine-minutes-per-unit': s.machineMinutesPerUnit,
      'material-quantity-per-unit': s.materialQuantityPerUnit,
      'material-unit': s.materialUnit,
      tolerance: s.tolerance,
      'envelope-mm': s.envelopeMm && [s.envelopeMm.x, s.envelopeMm.y, s.envelopeMm.z],
    }),
  );
  out.bom = c.bom.map((b) => compact({ item: b.item, quantity: b.quantity, material: b.material, unit: b.unit }));
  out.link = c.links.map((l) => compact({ kind: l.kind, url: l.url, title: l.title }));
  return out;
}

function personTable(p: Contributor): Table {
  return compact({ name: p.name, email: p.email, handle: p.handle, role: p.role, affiliation: p.affiliation });
}

function compact(t: Table): Table {
  return Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined));
}

type Read<T> = { value: T } | { error: string };

export function readCosmolocalExtension(raw: unknown, warnings: Warnings): { ext: CosmolocalExtension } | { error: string } {
  const field = COSMOLOCAL_KEY;
  if (!isTable(raw)) return { error: `field "${field}": must be a table` };
  const version = raw['extension-version'];
  if (typeof version === 'number' && version > COSMOLOCAL_EXTENSION_VERSION) {
    warnings.add(field, `${field}: extension-version ${version} is newer than ${COSMOLOCAL_EXTENSION_VERSION}; keys this version does not know are ignored`);
  }

  const lists: Record<string, Table[]> = {};
  for (const key of ['licensor', 'contributor', 'requirement', 'bom', 'link']) {
    const v = raw[key];
    if (v === undefined) {
      lists[key] = [];
      continue;
    }
    if (!Array.isArray(v) || !v.every(isTable)) return { error: `field "${field}.${key}": must be a list of tables` };
    lists[key] = v;
  }

  const keywordsRaw = raw.keywords ?? [];
  if (!Array.isArray(keywordsRaw) || !keywordsRaw.every((k) => typeof k === 'string')) {
    return { error: `field "${field}.keywords": must be a list of strings` };
  }

  let extra: Record<string, unknown> | undefined;
  if (raw['extra-json'] !== undefined) {
    const text = raw['extra-json'];
    let parsed: unknown;
    try {
      parsed = typeof text === 'string' ? JSON.parse(text) : undefined;
    } catch (e) {
      return { error: `field "${field}.extra-json": not valid JSON (${(e as Error).message.split('\n')[0]})` };
    }
    if (!isTable(parsed)) return { error: `field "${field}.extra-json": must be the JSON text of an object` };
    extra = parsed;
  }

  const requirements: ManufacturingStep[] = [];
  for (const [i, t] of lists.requirement.entries()) {
    const r = readStep(t, `${field}.requirement[${i}]`, warnings);
    if ('error' in r) return r;
    requirements.push(r.value);
  }
  const bom: BomItem[] = [];
  for (const [i, t] of lists.bom.entries()) {
    const where = `${field}.bom[${i}]`;
    const item = str(t.item);
    if (!item) return { error: `field "${where}.item": required` };
    const quantity = num(t.quantity, `${where}.quantity`);
    if ('error' in quantity) return quantity;
    const b: BomItem = { item, quantity: quantity.value };
    const material = str(t.material);
    const unit = str(t.unit);
    if (material) b.material = material;
    if (unit) b.unit = unit;
    bom.push(b);
  }
  const links: DesignLink[] = [];
  for (const [i, t] of lists.link.entries()) {
    const where = `${field}.link[${i}]`;
    const kind = str(t.kind);
    const url = str(t.url);
    if (!kind) return { error: `field "${where}.kind": required` };
    if (!url) return { error: `field "${where}.url": required` };
    const title = str(t.title);
    links.push(title ? { kind, url, title } : { kind, url });
  }

  const ext: CosmolocalExtension = {
    keywords: keywordsRaw as string[],
    licensors: people(lists.licensor, `${field}.licensor`, warnings),
    contributors: people(lists.contributor, `${field}.contributor`, warnings),
    requirements,
    bom,
    links,
  };
  const designId = str(raw['design-id']);
  const slug = str(raw.slug);
  if (designId) ext.designId = designId;
  if (slug) ext.slug = slug;
  if (extra) ext.extra = extra;
  return { ext };
}

function readStep(t: Table, where: string, warnings: Warnings): Read<ManufacturingStep> {
  const process = str(t.process);
  const material = str(t.material);
  const unit = str(t['material-unit']);
  if (!process) return { error: `field "${where}.process": required` };
  if (!material) return { error: `field "${where}.material": required` };
  if (!unit) return { error: `field "${where}.material-unit": required` };
  if (!canonicalProcess(process)) warnings.add(where, `${where}.process: "${process}" is not a known process; kept as written`);
  if (!canonicalMaterial(material)) warnings.add(where, `${where}.material: "${material}" is not a known material; kept as written`);
  if (!canonicalUnit(unit)) warnings.add(where, `${where}.material-unit: "${unit}" is not a known unit; kept as written`);
  const minutes = num(t['machine-minutes-per-unit'], `${where}.machine-minutes-per-unit`);
  if ('error' in minutes) return minutes;
  const quantity = num(t['material-quantity-per-unit'], `${where}.material-quantity-per-unit`);
  if ('error' in quantity) return quantity;
  const step: ManufacturingStep = {
    process,
    material,
    machineMinutesPerUnit: minutes.value,
    materialQuantityPerUnit: quantity.value,
    materialUnit: unit,
  };
  const tolerance = str(t.tolerance);
  if (tolerance) step.tolerance = tolerance;
  const env = t['envelope-mm'];
  if (env !== undefined) {
    if (!Array.isArray(env) || env.length !== 3 || !env.every((n) => typeof n === 'number' && Number.isFinite(n) && n > 0)) {
      return { error: `field "${where}.envelope-mm": must be three positive numbers [x, y, z]` };
    }
    step.envelopeMm = { x: env[0], y: env[1], z: env[2] };
  }
  return { value: step };
}

function num(v: unknown, where: string): Read<number> {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    return { error: `field "${where}": must be a number ≥ 0` };
  }
  return { value: n };
}
