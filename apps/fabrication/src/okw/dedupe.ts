/**
 * One fab unit, one record: registries list the same lab twice with cosmetic differences
 * ("Fab Lab X " vs "fab lab x", http vs https, a trailing slash), and an import must not
 * double it.
 */
import type { FabUnitDraft, FabUnitLocation } from '#libs/contracts/src/fabrication/fab-unit.js';

export function normalizeName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Scheme, `www.`, case and trailing slashes do not make another site. */
export function normalizeUrl(url: string | undefined): string {
  if (!url) return '';
  return url
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/+(?=[?#]|$)/, '');
}

/** Same name and same url → same unit. */
export function dedupeKey(draft: Pick<FabUnitDraft, 'name' | 'url'>): string {
  return `${normalizeName(draft.name)}|${normalizeUrl(draft.url)}`;
}

/**
 * `first` with the gaps filled from `later`. The first record wins where both say something:
 * it is the one a file lists first, usually the maintained one. Coordinates move as a pair.
 */
export function mergeDrafts(first: FabUnitDraft, later: FabUnitDraft): FabUnitDraft {
  const location: FabUnitLocation = { ...fill(first.location, later.location) };
  const hasFirstPoint = first.location.lat !== undefined && first.location.lon !== undefined;
  const point = hasFirstPoint ? first.location : later.location;
  delete location.lat;
  delete location.lon;
  if (point.lat !== undefined && point.lon !== undefined) {
    location.lat = point.lat;
    location.lon = point.lon;
  }
  const merged: FabUnitDraft = {
    ...fill(first, later),
    location,
    locatable: location.lat !== undefined && location.lon !== undefined,
    contact: fill(first.contact, later.contact),
    source: first.source,
  };
  if (!first.machines?.length && later.machines?.length) merged.machines = later.machines;
  if (!first.materials?.length && later.materials?.length) merged.materials = later.materials;
  return merged;
}

/** Merges duplicates in list order; each entry of `merged` lists the input indexes folded into one unit. */
export function dedupeDrafts(drafts: readonly FabUnitDraft[]): {
  units: FabUnitDraft[];
  merged: { name: string; indexes: number[] }[];
} {
  const byKey = new Map<string, { unit: FabUnitDraft; indexes: number[] }>();
  for (const [i, d] of drafts.entries()) {
    const k = dedupeKey(d);
    const seen = byKey.get(k);
    if (seen) {
      seen.unit = mergeDrafts(seen.unit, d);
      seen.indexes.push(i);
    } else byKey.set(k, { unit: d, indexes: [i] });
  }
  const entries = [...byKey.values()];
  return {
    units: entries.map((e) => e.unit),
    merged: entries.filter((e) => e.indexes.length > 1).map((e) => ({ name: e.unit.name, indexes: e.indexes })),
  };
}

/** Keys of `later` fill keys `first` lacks (absent, empty string); never overwrites. */
function fill<T extends object>(first: T, later: T): T {
  const out = { ...first } as Record<string, unknown>;
  for (const [k, v] of Object.entries(later)) {
    const cur = out[k];
    if ((cur === undefined || cur === '') && v !== undefined) out[k] = v;
  }
  return out as T;
}
