import { createHash } from 'node:crypto';
import type {
  BomItem,
  Contributor,
  DesignLink,
  DesignVersionContent,
  ManufacturingStep,
} from '#libs/contracts/src/commons/design-version.js';
import { canonicalMaterial, canonicalProcess, canonicalUnit } from '#libs/taxonomy/src/index.js';
import { normalizeLicense } from '../licenses/license-expression.js';

/**
 * The one spelling of a design version's content, so that the same design hashes the same
 * however it arrived (typed in, imported from OKH YAML/TOML/JSON, exported and re-imported):
 * strings trimmed, empty optional fields dropped, process/material/unit and license ids in
 * canonical form, keywords sorted and de-duplicated (a set). Requirements, BOM, links and
 * people keep their order: it carries meaning (step order, authorship order).
 * Names the taxonomy does not know are kept as written (trimmed) rather than lost.
 */
export function normaliseContent(c: DesignVersionContent): DesignVersionContent {
  const out: DesignVersionContent = {
    title: text(c.title),
    function: text(c.function),
    license: normaliseLicenseText(c.license),
    licensors: (c.licensors ?? []).map(normalisePerson),
    contributors: (c.contributors ?? []).map(normalisePerson),
    keywords: [...new Set((c.keywords ?? []).map(text).filter((k) => k !== ''))].sort(),
    bom: (c.bom ?? []).map(normaliseBomItem),
    links: (c.links ?? []).map(normaliseLink),
    requirements: (c.requirements ?? []).map(normaliseStep),
  };
  const extra = c.extra === undefined ? undefined : (plainData(c.extra) as Record<string, unknown> | undefined);
  if (extra && Object.keys(extra).length > 0) out.extra = extra;
  return out;
}

/** SHA-256 (hex) of the canonical JSON of the normalised content. */
export function contentHash(c: DesignVersionContent): string {
  return createHash('sha256').update(canonicalJson(normaliseContent(c)), 'utf8').digest('hex');
}

/** JSON with object keys sorted at every depth; `undefined` members are left out, as JSON does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

function text(s: unknown): string {
  return typeof s === 'string' ? s.trim() : s === undefined || s === null ? '' : String(s).trim();
}

function optionalText(s: unknown): string | undefined {
  const t = text(s);
  return t === '' ? undefined : t;
}

function normaliseLicenseText(raw: string): string {
  const r = normalizeLicense(text(raw));
  return 'spdx' in r ? r.spdx : text(raw);
}

function normalisePerson(p: Contributor): Contributor {
  return dropUndefined({
    name: text(p.name),
    email: optionalText(p.email),
    handle: optionalText(p.handle),
    role: optionalText(p.role),
    affiliation: optionalText(p.affiliation),
  });
}

function normaliseBomItem(b: BomItem): BomItem {
  const material = optionalText(b.material);
  const unit = optionalText(b.unit);
  return dropUndefined({
    item: text(b.item),
    quantity: number(b.quantity),
    material: material && (canonicalMaterial(material) ?? material),
    unit: unit && (canonicalUnit(unit) ?? unit),
  });
}

function normaliseLink(l: DesignLink): DesignLink {
  return dropUndefined({ kind: text(l.kind), url: text(l.url), title: optionalText(l.title) });
}

function normaliseStep(s: ManufacturingStep): ManufacturingStep {
  const process = text(s.process);
  const material = text(s.material);
  const unit = text(s.materialUnit);
  return dropUndefined({
    process: canonicalProcess(process) ?? process,
    material: canonicalMaterial(material) ?? material,
    envelopeMm: s.envelopeMm && { x: number(s.envelopeMm.x), y: number(s.envelopeMm.y), z: number(s.envelopeMm.z) },
    tolerance: optionalText(s.tolerance),
    machineMinutesPerUnit: number(s.machineMinutesPerUnit),
    materialQuantityPerUnit: number(s.materialQuantityPerUnit),
    materialUnit: canonicalUnit(unit) ?? unit,
  });
}

/** -0 and 0 hash alike; numeric strings from loose sources become numbers. */
function number(n: unknown): number {
  const v = typeof n === 'number' ? n : Number(n);
  return v === 0 ? 0 : v;
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Extra metadata as plain JSON data: undefined members dropped, dates as ISO strings. */
function plainData(value: unknown): unknown {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map((v) => plainData(v) ?? null);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = plainData(v);
      if (p !== undefined) out[k] = p;
    }
    return out;
  }
  return value;
}
