import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted by code point, no whitespace, strings as JSON.stringify
 * writes them. Numbers must be safe integers (a tally has no floats; anything else is refused
 * rather than rounded), bigints are written as plain JSON integers, objects with `toJSON`
 * (Rational, Date) are serialised through it. `undefined` object members are omitted; `undefined`
 * in an array, functions, symbols and non-plain containers (Map, Set) are refused so two parties
 * can never disagree on what was hashed.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number':
      if (!Number.isSafeInteger(value)) throw new TypeError(`canonicalJson: ${path} is ${value}, not a safe integer`);
      return Object.is(value, -0) ? '0' : String(value);
    case 'object': {
      const withJson = value as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function') return write(withJson.toJSON(), path);
      if (Array.isArray(value)) {
        return `[${value
          .map((v, i) => {
            if (v === undefined) throw new TypeError(`canonicalJson: ${path}[${i}] is undefined`);
            return write(v, `${path}[${i}]`);
          })
          .join(',')}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`canonicalJson: ${path} is a ${proto?.constructor?.name ?? 'non-plain object'}`);
      }
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => codePointCompare(a, b));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${write(v, `${path}.${k}`)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}`);
  }
}

/** UTF-8 byte order, which is code-point order: the same in every language. */
function codePointCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface TallyRecord {
  /** Anonymised ballots (no voter ids): their order does not matter, they are sorted here. */
  ballots: readonly unknown[];
  /** The rule and every option that changes the outcome (budget, tie-break, completion, …). */
  rules: unknown;
  /** Optionally the published outcome, so that one hash pins input and result together. */
  result?: unknown;
}

export interface TallyDigest {
  /** sha256 of `canonical`, hex. */
  digest: string;
  canonical: string;
}

/**
 * The digest anyone can recompute from the published ballots and rules: ballots are serialised
 * canonically, sorted by their UTF-8 bytes (so ballot order, i.e. order of casting, is not
 * revealed and does not matter), and hashed together with the rules (and result, if given).
 */
export function tallyDigest(record: TallyRecord): TallyDigest {
  const ballots = record.ballots.map((b) => canonicalJson(b)).sort(codePointCompare);
  const parts = [`"ballots":[${ballots.join(',')}]`];
  if (record.result !== undefined) parts.push(`"result":${canonicalJson(record.result)}`);
  parts.push(`"rules":${canonicalJson(record.rules)}`);
  // keys already in canonical order: ballots < result < rules
  const canonical = `{${parts.join(',')}}`;
  return { digest: sha256Hex(canonical), canonical };
}

/**
 * Receipt for one ballot: sha256 over the canonical pair [secret, ballot]. The member keeps the
 * secret (a random salt or their ballot id); the council publishes every receipt, so a member can
 * find theirs and check their ballot was counted as cast, while nobody else learns which ballot
 * is theirs.
 */
export function ballotReceipt(secret: string, ballot: unknown): string {
  if (secret.length === 0) throw new RangeError('ballotReceipt: the secret must not be empty');
  return sha256Hex(canonicalJson([secret, ballot]));
}

export function verifyReceipt(receipt: string, secret: string, ballot: unknown): boolean {
  return ballotReceipt(secret, ballot) === receipt.toLowerCase();
}
