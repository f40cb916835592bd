import { DEPRECATED_SPDX_IDS, LICENSE_ALIASES, SPDX_EXCEPTIONS, SPDX_LICENSES } from './spdx.js';

/** A parsed SPDX license expression. `id` is an SPDX id or a `LicenseRef-…`. */
export type LicenseNode =
  | { type: 'license'; id: string; exception?: string }
  | { type: 'and' | 'or'; terms: LicenseNode[] };

export type ParsedLicense = { node: LicenseNode; spdx: string; warnings: string[] };
export type LicenseError = { error: string };

type Resolved = { id: string; warning?: string } | { error: string };

// ---------------------------------------------------------------------------------------
// Names → SPDX ids
// ---------------------------------------------------------------------------------------

const PHRASES: ReadonlyArray<[RegExp, string]> = [
  [/\bcreative commons\b/g, 'cc'],
  [/\battribution\b/g, 'by'],
  [/\bshare ?alike\b/g, 'sa'],
  [/\bnon ?commercial\b/g, 'nc'],
  [/\bno ?deriv(?:ative)?s?\b/g, 'nd'],
  [/\baffero (?:general public|gpl)\b/g, 'agpl'],
  [/\b(?:lesser|library) (?:general public|gpl)\b/g, 'lgpl'],
  [/\bgeneral public\b/g, 'gpl'],
  [/\bfree documentation\b/g, 'fdl'],
  [/\bgfdl\b/g, 'fdl'],
  [/\bopen hardware\b/g, 'ohl'],
  [/\bsolderpad hardware\b/g, 'shl'],
  [/\bmozilla public\b/g, 'mpl'],
  [/\beuropean union public\b/g, 'eupl'],
  [/\bsil open font\b/g, 'ofl'],
  [/\bor (?:any )?later(?: version)?\b/g, 'or later'],
];

const FILLER =
  /\b(?:the|gnu|licen[cs]e[sd]?|version|ver|international|unported|generic|universal|public|software)\b/g;

/**
 * Reduces the ways people write a license name ("CERN OHL v1.2", "CC BY-SA 4.0",
 * "Apache License, Version 2.0", "GPLv3+") to one key, so that ids, SPDX names and
 * common spellings meet.
 */
export function licenseKey(raw: string): string {
  let s = raw.toLowerCase().trim();
  s = s.replace(/\+(?=\s|$)/g, ' or later');
  s = s.replace(/[-_,;:/()"'“”]+/g, ' ');
  s = s.replace(/\.(?!\d)|(?<!\d)\./g, ' ');
  s = s.replace(/([a-z])v(\d)/g, '$1 $2');
  s = s.replace(/\bv(\d)/g, '$1');
  s = s.replace(/([a-z])(\d)/g, '$1 $2');
  for (const [re, to] of PHRASES) s = s.replace(re, to);
  s = s.replace(FILLER, ' ');
  s = s.replace(/(\d+)(?:\.0)+(?![\d.])/g, '$1');
  return s.replace(/\s+/g, ' ').trim();
}

type KeyTarget = { id: string; via: 'spdx' | 'deprecated' | 'alias' };

const EXACT = new Map<string, string>(SPDX_LICENSES.map((l) => [l.id.toLowerCase(), l.id]));
const DEPRECATED = new Map<string, [string, string]>(
  Object.entries(DEPRECATED_SPDX_IDS).map(([old, now]) => [old.toLowerCase(), [old, now]]),
);
const EXCEPTIONS = new Map(SPDX_EXCEPTIONS.map((e) => [e.toLowerCase(), e]));

const BY_KEY = (() => {
  const index = new Map<string, KeyTarget>();
  const add = (name: string, target: KeyTarget): void => {
    const key = licenseKey(name);
    const taken = index.get(key);
    if (taken && taken.id !== target.id) {
      throw new Error(`licenses: "${name}" reads as both ${taken.id} and ${target.id}`);
    }
    if (!taken || target.via === 'spdx') index.set(key, target);
  };
  for (const l of SPDX_LICENSES) {
    add(l.id, { id: l.id, via: 'spdx' });
    add(l.name, { id: l.id, via: 'spdx' });
  }
  for (const [old, now] of Object.entries(DEPRECATED_SPDX_IDS)) add(old, { id: now, via: 'deprecated' });
  for (const [alias, id] of Object.entries(LICENSE_ALIASES)) add(alias, { id, via: 'alias' });
  return index;
})();

const NOT_A_GRANT = /\b(?:all rights reserved|proprietary|no licen[cs]e|not licen[cs]ed|unlicensed|copyright(?:ed)?)\b/i;

/** License URLs seen in manifests (OKH-LOSH allows a URL where no SPDX id exists). */
function fromUrl(url: string): string | undefined {
  const u = url.trim().replace(/[#?].*$/, '');
  let m = /spdx\.org\/licenses\/([A-Za-z0-9.+-]+?)(?:\.html|\.json)?\/?$/i.exec(u);
  if (m) return m[1];
  m = /creativecommons\.org\/publicdomain\/zero\/(\d\.\d)/i.exec(u);
  if (m) return `CC0-${m[1]}`;
  m = /creativecommons\.org\/licenses\/([a-z-]+)\/(\d\.\d)/i.exec(u);
  if (m) return `CC-${m[1].toUpperCase()}-${m[2]}`;
  m = /gnu\.org\/licenses\/(?:old-licenses\/)?(a?gpl|lgpl|fdl)-(\d\.\d)/i.exec(u);
  if (m) return `${m[1].toUpperCase().replace('FDL', 'GFDL')}-${m[2]}`;
  m = /cern[_-]?ohl[_-]([swp])[_-]v?2/i.exec(u);
  if (m) return `CERN-OHL-${m[1].toUpperCase()}-2.0`;
  m = /(?:opensource\.org|choosealicense\.com)\/licen[cs]es\/([A-Za-z0-9.+-]+)\/?$/i.exec(u);
  if (m) return m[1];
  return undefined;
}

function resolveName(raw: string, allowUrl = true): Resolved {
  const text = raw.trim();
  if (!text) return { error: 'empty license name' };
  const exact = EXACT.get(text.toLowerCase());
  if (exact) return { id: exact };
  if (/^(?:LicenseRef|DocumentRef)-[A-Za-z0-9.:-]+$/i.test(text)) {
    return { id: text, warning: `${text} is not on the SPDX license list` };
  }
  const deprecated = DEPRECATED.get(text.toLowerCase());
  if (deprecated) {
    const [old, now] = deprecated;
    return { id: now, warning: `"${text}" is the deprecated SPDX id ${old}; read as ${now}, what SPDX defined it to mean` };
  }
  if (NOT_A_GRANT.test(text)) return { error: `"${text}" is not an open license (all rights reserved)` };
  if (/^public domain$/i.test(text)) {
    return { error: `"${text}" is not a license; a public-domain dedication is CC0-1.0` };
  }

  if (allowUrl && /https?:\/\//i.test(text)) {
    // "AGPL 3.0 https://www.gnu.org/licenses/agpl-3.0.en.html": the name, else the URL.
    const name = text.replace(/<?https?:\/\/\S+>?/gi, ' ').replace(/[()]/g, ' ').trim();
    if (name) {
      const byName = resolveName(name, false);
      if ('id' in byName) return byName;
    }
    const url = /https?:\/\/\S+/i.exec(text)?.[0] ?? '';
    const fromLink = fromUrl(url.replace(/>$/, ''));
    if (fromLink) {
      const r = resolveName(fromLink, false);
      if ('id' in r) return { id: r.id, warning: `license URL ${url} read as ${r.id}` };
    }
    return { error: `unknown license "${text}"` };
  }

  const hit = BY_KEY.get(licenseKey(text));
  if (hit) {
    if (hit.via === 'deprecated') {
      const old = Object.entries(DEPRECATED_SPDX_IDS).find(([, now]) => now === hit.id)?.[0] ?? hit.id;
      return {
        id: hit.id,
        warning: `"${text}" is not an SPDX id and says neither "only" nor "or later"; read as ${hit.id}, like the deprecated SPDX id ${old}`,
      };
    }
    return { id: hit.id, warning: `"${text}" is not an SPDX id; read as ${hit.id}` };
  }

  // "X+" for a license without an or-later variant: keep X, which is the stricter reading.
  if (/\+$/.test(text)) {
    const base = resolveName(text.slice(0, -1), false);
    if ('id' in base) return { id: base.id, warning: `"${text}": the "+" (or later) is dropped; read as ${base.id}` };
  }
  return { error: `unknown license "${text}"` };
}

// ---------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------

type Token = { kind: 'open' | 'close' | 'and' | 'or' | 'with' | 'word'; text: string };

function tokenize(raw: string, warnings: string[]): Token[] {
  const words = raw.match(/\(|\)|[^\s()]+/g) ?? [];
  const tokens: Token[] = [];
  words.forEach((w, i) => {
    if (w === '(') return tokens.push({ kind: 'open', text: w });
    if (w === ')') return tokens.push({ kind: 'close', text: w });
    const upper = w.toUpperCase();
    if (upper === 'AND' || upper === 'OR' || upper === 'WITH') {
      const next = words[i + 1]?.toLowerCase();
      // "GPL-2.0 or later" is a name, not an OR.
      if (upper === 'OR' && (next === 'later' || next === 'any')) return tokens.push({ kind: 'word', text: w });
      if (w !== upper) warnings.push(`operator "${w}" read as ${upper} (SPDX operators are upper case)`);
      return tokens.push({ kind: upper.toLowerCase() as 'and' | 'or' | 'with', text: w });
    }
    return tokens.push({ kind: 'word', text: w });
  });
  return tokens;
}

class ExpressionParser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
    private readonly warnings: string[],
  ) {}

  parse(): LicenseNode {
    const node = this.or();
    if (this.pos < this.tokens.length) this.fail(`unexpected "${this.tokens[this.pos].text}"`);
    return node;
  }

  private fail(what: string): never {
    throw new LicenseSyntaxError(`${what} in license expression "${this.source}"`);
  }

  private or(): LicenseNode {
    const terms = [this.and()];
    while (this.tokens[this.pos]?.kind === 'or') {
      this.pos++;
      terms.push(this.and());
    }
    return combine('or', terms);
  }

  private and(): LicenseNode {
    const terms = [this.with()];
    while (this.tokens[this.pos]?.kind === 'and') {
      this.pos++;
      terms.push(this.with());
    }
    return combine('and', terms);
  }

  private with(): LicenseNode {
    const atom = this.atom();
    if (this.tokens[this.pos]?.kind !== 'with') return atom;
    this.pos++;
    if (atom.type !== 'license') this.fail('WITH after a parenthesised expression');
    const name = this.words();
    if (!name) this.fail('missing exception after WITH');
    const exception = EXCEPTIONS.get(name.toLowerCase());
    if (!exception) this.fail(`unknown license exception "${name}"`);
    return { ...atom, exception };
  }

  private atom(): LicenseNode {
    const t = this.tokens[this.pos];
    if (!t) this.fail('missing license at the end');
    if (t.kind === 'open') {
      this.pos++;
      const inner = this.or();
      if (this.tokens[this.pos]?.kind !== 'close') this.fail('missing ")"');
      this.pos++;
      return inner;
    }
    if (t.kind !== 'word') this.fail(`unexpected "${t.text}"`);
    const name = this.words();
    const r = resolveName(name);
    if ('error' in r) this.fail(r.error);
    if (r.warning) this.warnings.push(r.warning);
    return { type: 'license', id: r.id };
  }

  /** A license name may be several words ("CERN OHL v1.2"): everything up to an operator. */
  private words(): string {
    const out: string[] = [];
    while (this.tokens[this.pos]?.kind === 'word') out.push(this.tokens[this.pos++].text);
    return out.join(' ');
  }
}

class LicenseSyntaxError extends Error {}

function combine(type: 'and' | 'or', terms: LicenseNode[]): LicenseNode {
  if (terms.length === 1) return terms[0];
  const flat = terms.flatMap((t) => (t.type === type ? t.terms : [t]));
  return { type, terms: flat };
}

export function formatLicense(node: LicenseNode): string {
  if (node.type === 'license') return node.exception ? `${node.id} WITH ${node.exception}` : node.id;
  const parts = node.terms.map((t) =>
    node.type === 'and' && t.type === 'or' ? `(${formatLicense(t)})` : formatLicense(t),
  );
  return parts.join(node.type === 'and' ? ' AND ' : ' OR ');
}

/** Parses a license field: an SPDX expression, a known non-SPDX name, or a license URL. */
export function parseLicenseExpression(raw: string): ParsedLicense | LicenseError {
  if (typeof raw !== 'string' || !raw.trim()) return { error: 'license is empty' };
  const text = raw.trim();
  const warnings: string[] = [];

  // The whole text first: names such as "GNU GPL v3 or later" contain operator words.
  const whole: Resolved = /[()]/.test(text) ? { error: `unknown license "${text}"` } : resolveName(text);
  if ('id' in whole) {
    const node: LicenseNode = { type: 'license', id: whole.id };
    return { node, spdx: formatLicense(node), warnings: whole.warning ? [whole.warning] : [] };
  }
  const tokens = tokenize(text, warnings);
  const hasStructure = tokens.some((t) => t.kind !== 'word');
  if (!hasStructure) return { error: whole.error };
  try {
    const node = new ExpressionParser(tokens, text, warnings).parse();
    return { node, spdx: formatLicense(node), warnings };
  } catch (e) {
    if (e instanceof LicenseSyntaxError) return { error: e.message };
    throw e;
  }
}

/**
 * Normalises a license field to an SPDX expression. Exact ids pass (in SPDX's spelling);
 * known names, deprecated ids and license URLs are read with a warning naming what was read.
 */
export function normalizeLicense(raw: string): { spdx: string; warnings: string[] } | { error: string } {
  const parsed = parseLicenseExpression(raw);
  if ('error' in parsed) return parsed;
  return { spdx: parsed.spdx, warnings: parsed.warnings };
}

/** The leaves of an expression. */
export function licenseLeaves(node: LicenseNode): Array<{ id: string; exception?: string }> {
  return node.type === 'license' ? [node] : node.terms.flatMap(licenseLeaves);
}
