import semver from 'semver';
import { parse as parseToml, TomlError } from 'smol-toml';
import YAML from 'yaml';
import type { DesignVersionContent } from '#libs/contracts/src/commons/design-version.js';
import { normaliseContent } from '../designs/content-hash.js';
import { COSMOLOCAL_KEY, readCosmolocalExtension } from './cosmolocal-extension.js';
import { jsonErrorPosition } from './json-error-position.js';
import { mapOkhLosh } from './okh-losh.js';
import { mapOkhV1 } from './okh-v1.js';
import { isTable, str, Warnings } from './okh-values.js';

export type OkhMediaType = 'application/yaml' | 'application/toml' | 'application/json';

export type OkhImport =
  | { content: DesignVersionContent; version: string; name: string; repo?: string; warnings: string[] }
  | { error: string };

/** Fields the standard OKH keys still decide when the Cosmolocal extension is present. */
const STANDARD_FIELDS = /^(?:yaml|okhv|name|title|function|description|license(?:\.\w+)?|version)$/;

/**
 * Reads an OKH manifest — OKH v1 or OKH-LOSH, in YAML, TOML or JSON (the flavour is told by
 * its keys, not by the media type) — into normalised design-version content. Lenient where it
 * is safe and says so: every repair and every guess is a warning naming its line or field.
 * What cannot be read is an error naming the line or field.
 */
export function parseOkhManifest(body: string, mediaType: OkhMediaType): OkhImport {
  if (typeof body !== 'string' || body.replace(/^\uFEFF/, '').trim() === '') return { error: 'manifest is empty' };
  const text = body.replace(/^\uFEFF/, '');
  const warnings = new Warnings();

  const parsed = parseBody(text, mediaType, warnings);
  if ('error' in parsed) return parsed;
  const doc = parsed.value;
  if (!isTable(doc)) {
    return { error: `manifest must be a table of fields, got ${Array.isArray(doc) ? 'a list' : doc === null ? 'nothing' : `a ${typeof doc}`}` };
  }

  const flavour = 'okhv' in doc || ('name' in doc && !('title' in doc)) ? 'losh' : 'title' in doc ? 'v1' : undefined;
  if (!flavour) {
    return { error: 'not an OKH manifest: neither "title" (OKH v1) nor "okhv"/"name" (OKH-LOSH) is present' };
  }
  const mapped = flavour === 'losh' ? mapOkhLosh(doc, warnings) : mapOkhV1(doc, warnings);
  if ('error' in mapped) return mapped;

  let { content, name } = mapped;
  let messages = warnings.list;
  if (doc[COSMOLOCAL_KEY] !== undefined) {
    const extWarnings = new Warnings();
    const ext = readCosmolocalExtension(doc[COSMOLOCAL_KEY], extWarnings);
    if ('error' in ext) return ext;
    const e = ext.ext;
    content = {
      title: content.title,
      function: content.function,
      license: content.license,
      licensors: e.licensors,
      contributors: e.contributors,
      keywords: e.keywords,
      bom: e.bom,
      links: e.links,
      requirements: e.requirements,
      ...(e.extra ? { extra: e.extra } : {}),
    };
    if (e.slug) name = e.slug;
    // The extension replaces what the standard keys said about people, links and parts.
    messages = [...messages.filter((w) => STANDARD_FIELDS.test(w.field)), ...extWarnings.list];
  }

  const versionWarnings = new Warnings();
  const version = coerceVersion(mapped.rawVersion, versionWarnings);
  messages = [...messages, ...versionWarnings.list];

  const result: OkhImport = { content: normaliseContent(content), version, name, warnings: messages.map((w) => w.message) };
  if (mapped.repo) result.repo = mapped.repo;
  return result;
}

function parseBody(text: string, mediaType: OkhMediaType, warnings: Warnings): { value: unknown } | { error: string } {
  switch (mediaType) {
    case 'application/toml':
      try {
        return { value: parseToml(text) };
      } catch (e) {
        if (e instanceof TomlError) return { error: `TOML: line ${e.line}, column ${e.column}: ${firstLine(e.message).replace(/^Invalid TOML document: /, '')}` };
        return { error: `TOML: ${firstLine((e as Error).message)}` };
      }
    case 'application/json':
      try {
        return { value: JSON.parse(text) };
      } catch (e) {
        return { error: `JSON: ${jsonErrorPlace(text) ?? ''}${firstLine((e as Error).message)}` };
      }
    case 'application/yaml':
      return parseYamlLeniently(text, warnings);
    default:
      return { error: `unsupported media type "${String(mediaType)}" (expected application/yaml, application/toml or application/json)` };
  }
}

/**
 * YAML with one safe repair: a plain value starting with a character YAML reserves (`@`, `` ` ``)
 * — `user-handle: @OpenFlexure` in the OpenFlexure manifest — is read as that string, as its
 * author meant. Anything else that does not parse is an error naming the line.
 */
function parseYamlLeniently(text: string, warnings: Warnings): { value: unknown } | { error: string } {
  const lines = text.split(/\r?\n/);
  for (let attempt = 0; attempt <= lines.length; attempt++) {
    const doc = YAML.parseDocument(lines.join('\n'));
    const error = doc.errors[0];
    if (!error) return { value: doc.toJS({ maxAliasCount: 100 }) };
    const line = error.linePos?.[0]?.line;
    const repaired = line !== undefined && error.code === 'BAD_SCALAR_START' ? quoteReservedScalar(lines[line - 1]) : undefined;
    if (line === undefined || repaired === undefined) {
      const where = line === undefined ? '' : `line ${line}, column ${error.linePos?.[0]?.col}: `;
      return { error: `YAML: ${where}${firstLine(error.message).replace(/ at line \d+, column \d+:?$/, '')}` };
    }
    warnings.add(
      'yaml',
      `line ${line}: "${lines[line - 1].trim()}" is not valid YAML (a plain value cannot start with "${repaired.indicator}"); read as the string ${repaired.value}`,
    );
    lines[line - 1] = repaired.line;
  }
  return { error: 'YAML: too many errors' };
}

function quoteReservedScalar(line: string | undefined): { line: string; value: string; indicator: string } | undefined {
  if (line === undefined) return undefined;
  const m = /^(\s*(?:-\s+)?(?:[^\s#'"@`][^#]*?:\s+)?)([@`][^#]*?)(\s+#.*)?\s*$/.exec(line);
  if (!m) return undefined;
  const value = JSON.stringify(m[2]);
  return { line: `${m[1]}${value}${m[3] ?? ''}`, value, indicator: m[2][0] };
}

function jsonErrorPlace(text: string): string | undefined {
  const pos = jsonErrorPosition(text);
  return pos ? `line ${pos.line}, column ${pos.column}: ` : undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

/**
 * The version as semver. OKH v1 allows any text ("v0.3T and V0.4T", "T0.4", 61) and LOSH
 * manifests write "2.5": the highest x.y[.z] in the text is taken (a manifest naming several
 * versions describes the newest), a bare number N is N.0.0, and a missing or unreadable version
 * is 1.0.0 — each with a warning.
 */
export function coerceVersion(raw: unknown, warnings: Warnings): string {
  const text = str(raw);
  if (!text) {
    warnings.add('version', 'version: missing; 1.0.0 assumed');
    return '1.0.0';
  }
  if (semver.valid(text) === text) return text;
  const cleaned = semver.clean(text);
  if (cleaned) {
    warnings.add('version', `version: "${text}" read as ${cleaned}`);
    return cleaned;
  }
  const candidates = (text.match(/\d+\.\d+(?:\.\d+)?/g) ?? [])
    .map((t) => semver.coerce(t)?.version)
    .filter((v): v is string => v !== undefined);
  if (candidates.length > 0) {
    const best = candidates.reduce((a, b) => (semver.gt(b, a) ? b : a));
    warnings.add('version', `version: "${text}" is not semver; read as ${best}`);
    return best;
  }
  const whole = /^v?(\d+)$/i.exec(text);
  if (whole) {
    const v = `${Number(whole[1])}.0.0`;
    warnings.add('version', `version: "${text}" is not semver; read as ${v}`);
    return v;
  }
  warnings.add('version', `version: "${text}" is not a version; 1.0.0 assumed`);
  return '1.0.0';
}

