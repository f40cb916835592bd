/** Lenient readers for untyped parsed JSON/YAML: real records mix types freely. */

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Trimmed, inner whitespace collapsed; numbers become strings (postcodes, house numbers); empty → undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const s = v.replace(/\s+/g, ' ').trim();
  return s || undefined;
}

/** Trimmed, line breaks kept (descriptions); empty → undefined. */
export function text(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  return s || undefined;
}

/** A number, also from a numeric string ("42.35"). */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A list from a list, a single value, or nothing. */
export function list(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  return v === undefined || v === null ? [] : [v];
}

/** `facility-status`, `facilityStatus`, `Facility Status` → `facility_status`. */
export function snakeKey(k: string): string {
  return k
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s\-]+/g, '_');
}

/** Every object key in the tree in snake_case, so one reader serves every spelling. */
export function snakeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snakeKeys);
  if (!isObject(v)) return v;
  const out: Json = {};
  for (const [k, val] of Object.entries(v)) out[snakeKey(k)] = snakeKeys(val);
  return out;
}

/** The object without its undefined values: drafts compare with deep equality. */
export function compact<T extends object>(o: T): T {
  const out = {} as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}
