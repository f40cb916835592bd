import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Keys look like `ck_<id>_<secret>`: the id finds the row, the 256-bit secret proves
 * possession. Being random and long, the secret needs no slow KDF: SHA-256 is enough and
 * keeps machine requests cheap.
 */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function formatKey(id: string, secret: string): string {
  return `ck_${id.replace(/-/g, '')}_${secret}`;
}

export function parseKey(key: string): { id: string; secret: string } | null {
  const m = /^ck_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/.exec(key.trim());
  if (!m) return null;
  const h = m[1]!;
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  return { id, secret: m[2]! };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
