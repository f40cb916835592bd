import { createHash } from 'node:crypto';

/** Cosmolocal's own namespace for name-based ids (a random UUID, fixed forever). */
const NAMESPACE = Buffer.from('6c0a2f0e4b1d4c7a9f3e5d2b8a1c0e7f', 'hex');

/**
 * A UUID (version 5 layout, SHA-1) derived from names: the same names give the same id in
 * every process and on every retry. Production ids that must survive a retry are made so:
 * a request from (requester, Idempotency-Key), a job from (request, step, attempt); the job
 * id is also the reservation key at fabrication and the BullMQ job id, so a retried step
 * places the same reservation and enqueues the same job.
 */
export function nameUuid(...names: string[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(names.join('\u0000')).digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** JSON with sorted keys, so equal values hash equally whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A uuid[] query parameter as PostgreSQL's array literal. pg's own conversion quotes and
 * escapes every element (two regex replaces and new strings per id) although a UUID has nothing
 * to escape, and the connector's batches pass hundreds of ids per statement. Anything not a UUID
 * is refused: the literal is only safe for them (a comma or brace would change the array).
 */
export function uuidList(ids: readonly string[]): string {
  for (const id of ids) if (!UUID_RE.test(id)) throw new Error(`not a UUID: ${JSON.stringify(id)}`);
  return `{${ids.join(',')}}`;
}
