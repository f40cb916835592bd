import type { Contributor, DesignLink } from '#libs/contracts/src/commons/design-version.js';
import { checkOpenLicense } from '../licenses/open-license.js';
import { normalizeLicense } from '../licenses/license-expression.js';

/** Warnings carry the field they are about, so the importer can drop those of overridden fields. */
export interface FieldWarning {
  field: string;
  message: string;
}

export class Warnings {
  readonly list: FieldWarning[] = [];
  add(field: string, message: string): void {
    this.list.push({ field, message });
  }
}

export type Table = Record<string, unknown>;

export function isTable(v: unknown): v is Table {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

/** A scalar as trimmed text; numbers and booleans as written; anything else undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

/** A field that may hold one value or a list of them. */
export function strList(v: unknown): string[] {
  const items = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return items.map(str).filter((s): s is string => s !== undefined);
}

/** "Name <mail@example.org>" → { name, email }. */
export function personFromText(text: string): Contributor {
  const m = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(text.trim());
  if (m) return m[1] ? { name: m[1].trim(), email: m[2] } : { name: m[2], email: m[2] };
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text.trim())) return { name: text.trim(), email: text.trim() };
  return { name: text.trim() };
}

/** An OKH person: a table (name, email, affiliation, …), a "Name <email>" string, or a list of either. */
export function people(v: unknown, field: string, warnings: Warnings): Contributor[] {
  if (v === undefined || v === null) return [];
  const items = Array.isArray(v) ? v : [v];
  const out: Contributor[] = [];
  items.forEach((item, i) => {
    const where = Array.isArray(v) ? `${field}[${i}]` : field;
    if (typeof item === 'string') {
      const text = item.trim();
      if (!text) return;
      // LOSH's licensor is one string; projects list several people in it with commas.
      const parts = text.split(/\s*[,;]\s*(?![^<>]*>)/).filter(Boolean);
      if (parts.length > 1) warnings.add(where, `${where}: "${text}" read as ${parts.length} people`);
      out.push(...parts.map(personFromText));
      return;
    }
    if (isTable(item)) {
      const name = str(item.name) ?? str(item.email);
      if (!name) {
        warnings.add(where, `${where}: a person without name or email was skipped`);
        return;
      }
      const p: Contributor = { name };
      const email = str(item.email);
      const handle = str(item.handle) ?? str(item['user-handle']);
      const role = str(item.role);
      const affiliation = str(item.affiliation) ?? str(item.organization) ?? str(item.organisation);
      if (email) p.email = email;
      if (handle) p.handle = handle;
      if (role) p.role = role;
      if (affiliation) p.affiliation = affiliation;
      out.push(p);
      return;
    }
    warnings.add(where, `${where}: not a person (expected a name or a table with "name"); skipped`);
  });
  return out;
}

/** A link, if the value is a usable path or URL. */
export function link(kind: string, url: unknown, title?: string): DesignLink | undefined {
  const u = str(url);
  if (!u) return undefined;
  return title ? { kind, url: u, title } : { kind, url: u };
}

/**
 * Reads a license field to an SPDX expression. Known non-SPDX names are read with a warning
 * naming the field; an unreadable or non-open license is an error naming the field.
 */
export function openLicense(
  raw: unknown,
  field: string,
  warnings: Warnings,
): { spdx: string } | { error: string } {
  const text = str(raw);
  if (!text) return { error: `field "${field}": no license given` };
  const verdict = checkOpenLicense(text);
  if (!verdict.ok) return { error: `field "${field}": ${verdict.reason}` };
  for (const w of verdict.warnings) warnings.add(field, `${field}: ${w}`);
  return { spdx: verdict.spdx };
}

/** A secondary license (documentation, software): normalised when possible, never fatal. */
export function anyLicense(raw: unknown, field: string, warnings: Warnings): string | undefined {
  const text = str(raw);
  if (!text) return undefined;
  const r = normalizeLicense(text);
  if ('error' in r) {
    warnings.add(field, `${field}: ${r.error}; kept as written`);
    return text;
  }
  for (const w of r.warnings) warnings.add(field, `${field}: ${w}`);
  const verdict = checkOpenLicense(r.spdx);
  if (!verdict.ok) warnings.add(field, `${field}: ${verdict.reason}`);
  return r.spdx;
}

/** Plain JSON-able copy of parsed manifest data (TOML dates become strings). */
export function plain(v: unknown): unknown {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? String(v) : v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    const out: Table = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  // TOML local dates/times arrive as Date subclasses or objects with toString; keep their text.
  return v;
}
