import { createHash } from 'node:crypto';
import type { FieldError } from '#libs/contracts/src/problem.js';
import { canonicalMaterial, canonicalProcess, processWithDescendants } from '#libs/taxonomy/src/index.js';
import { normalizeLicense } from '../licenses/license-expression.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface SearchInput {
  q?: string;
  process?: string;
  material?: string;
  license?: string;
  verified?: boolean;
  cursor?: string;
  limit?: number;
}

/** Where the previous page ended, in the page's order. */
export type SearchPosition =
  | { order: 'rank'; rank: string; id: string }
  | { order: 'recent'; createdAt: string; id: string };

/** A search as the repository runs it: every name canonical, the process expanded to its subtree. */
export interface SearchQuery {
  text?: string;
  /** The requested process and all its sub-processes; a design matches if it requires any. */
  processes?: string[];
  material?: string;
  license?: string;
  verifiedOnly: boolean;
  after?: SearchPosition;
  limit: number;
  /** Binds a cursor to the filters it was made for. */
  fingerprint: string;
}

export type ParsedSearch = { ok: true; query: SearchQuery } | { ok: false; errors: FieldError[] };

/**
 * Reads the search parameters. Text queries are ordered by relevance (rank desc, id desc), the
 * others by recency (created_at desc, id desc); both orders are total, so keyset pagination
 * never skips or repeats a design. The cursor is opaque to clients and only valid for the
 * search that produced it.
 */
export function parseSearch(input: SearchInput): ParsedSearch {
  const errors: FieldError[] = [];
  const text = input.q?.trim() ? input.q.trim() : undefined;

  let processes: string[] | undefined;
  if (input.process !== undefined) {
    const id = canonicalProcess(input.process);
    if (!id) errors.push({ field: 'process', message: `"${input.process}" is not a known process` });
    else processes = processWithDescendants(id);
  }
  let material: string | undefined;
  if (input.material !== undefined) {
    material = canonicalMaterial(input.material);
    if (!material) errors.push({ field: 'material', message: `"${input.material}" is not a known material` });
  }
  let license: string | undefined;
  if (input.license !== undefined) {
    const normalized = normalizeLicense(input.license);
    if ('error' in normalized) errors.push({ field: 'license', message: normalized.error });
    else license = normalized.spdx;
  }
  const limit = input.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    errors.push({ field: 'limit', message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` });
  }

  const verifiedOnly = input.verified === true;
  const fingerprint = searchFingerprint({ text, processes, material, license, verifiedOnly });
  let after: SearchPosition | undefined;
  if (input.cursor !== undefined) {
    const decoded = decodeCursor(input.cursor);
    if (!decoded || decoded.fingerprint !== fingerprint || decoded.position.order !== (text ? 'rank' : 'recent')) {
      errors.push({ field: 'cursor', message: 'cursor is not one this search gave (it belongs to other filters, or is damaged)' });
    } else {
      after = decoded.position;
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    query: {
      ...(text ? { text } : {}),
      ...(processes ? { processes } : {}),
      ...(material ? { material } : {}),
      ...(license ? { license } : {}),
      verifiedOnly,
      ...(after ? { after } : {}),
      limit,
      fingerprint,
    },
  };
}

function searchFingerprint(parts: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RANK = /^-?\d+(\.\d+)?(e-?\d+)?$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeCursor(fingerprint: string, position: SearchPosition): string {
  const payload =
    position.order === 'rank'
      ? { f: fingerprint, r: position.rank, i: position.id }
      : { f: fingerprint, c: position.createdAt, i: position.id };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { fingerprint: string; position: SearchPosition } | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { f, r, c, i } = payload as Record<string, unknown>;
  if (typeof f !== 'string' || typeof i !== 'string' || !UUID.test(i)) return undefined;
  if (typeof r === 'string' && RANK.test(r)) return { fingerprint: f, position: { order: 'rank', rank: r, id: i } };
  if (typeof c === 'string' && TIMESTAMP.test(c)) return { fingerprint: f, position: { order: 'recent', createdAt: c, id: i } };
  return undefined;
}
