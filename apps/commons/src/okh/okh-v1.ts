import type { DesignLink } from '#libs/contracts/src/commons/design-version.js';
import type { MappedManifest } from './okh-losh.js';
import { anyLicense, isTable, link, openLicense, people, plain, str, strList, type Table, Warnings } from './okh-values.js';

/** Keys of okh-v1.schema.json (iop-alliance/OpenKnowHow). */
const V1_KEYS = new Set([
  'title', 'description', 'intended-use', 'keywords', 'project-link', 'image', 'made', 'made-independently',
  'license', 'licensor', 'okh-manifest-version', 'date-created', 'date-updated', 'manifest-author',
  'manifest-language', 'manifest-is-translation', 'contact', 'contributors', 'version', 'development-stage',
  'documentation-home', 'archive-download', 'design-files', 'documentation-language',
  'documentation-is-translation', 'schematics', 'bom', 'tool-list', 'making-instructions',
  'manufacturing-files', 'risk-assessment', 'tool-settings', 'quality-instructions', 'operating-instructions',
  'maintenance-instructions', 'disposal-instructions', 'software', 'health-safety-notice', 'standards-used',
  'derivative-of', 'variant-of', 'sub', 'sub-parts', 'cosmolocal',
]);

/** OKH v1 document lists ([{ path, title }]) and the link kind each becomes. */
const DOCUMENT_LISTS: ReadonlyArray<[string, string]> = [
  ['design-files', 'file'],
  ['schematics', 'file'],
  ['manufacturing-files', 'file'],
  ['making-instructions', 'documentation'],
  ['operating-instructions', 'documentation'],
  ['maintenance-instructions', 'documentation'],
  ['disposal-instructions', 'documentation'],
  ['risk-assessment', 'documentation'],
  ['tool-settings', 'documentation'],
  ['quality-instructions', 'documentation'],
  ['software', 'software'],
];

const MAPPED_KEYS = new Set([
  'title', 'description', 'license', 'licensor', 'contributors', 'keywords', 'version', 'project-link',
  'documentation-home', 'archive-download', 'image', 'bom', 'tool-list', 'cosmolocal',
  ...DOCUMENT_LISTS.map(([k]) => k),
]);

const FORGE = /^https?:\/\/(?:www\.)?(?:github\.com|gitlab\.com|codeberg\.org|bitbucket\.org|gitlab\.[^/]+|git\.[^/]+)\/[^/]+\/[^/]+/i;

/**
 * OKH v1 → content. The version's license is the hardware license: a design version is a thing
 * to be made, and share-alike obligations on forks bind the hardware. When there is none, the
 * documentation license, then the software one, stands in (with a warning). All three are kept,
 * normalised, in extra.licenses.
 */
export function mapOkhV1(doc: Table, warnings: Warnings): MappedManifest | { error: string } {
  const title = str(doc.title);
  if (!title) return { error: 'field "title": required (OKH v1)' };

  const licenseField = doc.license;
  const licenses: Record<string, string> = {};
  let primary: { spdx: string } | { error: string };
  if (isTable(licenseField)) {
    const order = ['hardware', 'documentation', 'software'].filter((k) => str(licenseField[k]));
    if (order.length === 0) return { error: 'field "license": none of hardware, documentation, software is given' };
    const main = order[0];
    primary = openLicense(licenseField[main], `license.${main}`, warnings);
    if ('error' in primary) return primary;
    if (main !== 'hardware') {
      warnings.add(`license.${main}`, `license: no hardware license; the ${main} license ${primary.spdx} is the version's license`);
    }
    licenses[main] = primary.spdx;
    for (const k of order.slice(1)) {
      const l = anyLicense(licenseField[k], `license.${k}`, warnings);
      if (l) licenses[k] = l;
    }
  } else {
    primary = openLicense(licenseField, 'license', warnings);
    if ('error' in primary) return primary;
  }

  const fn = str(doc.description) ?? str(doc['intended-use']);
  if (!str(doc.description)) {
    warnings.add('description', fn ? 'description: missing; intended-use stands in as the function' : 'description: missing; the version has no functional description');
  }

  for (const key of Object.keys(doc)) {
    if (!V1_KEYS.has(key)) warnings.add(key, `"${key}" is not an OKH v1 key; kept in extra.okh`);
  }

  const keywordsRaw = doc.keywords;
  const keywords =
    typeof keywordsRaw === 'string' ? keywordsRaw.split(',').map((k) => k.trim()).filter(Boolean) : strList(keywordsRaw);

  const projectLink = str(doc['project-link']);
  const links: DesignLink[] = [
    link('project', projectLink),
    link('documentation', doc['documentation-home'], 'documentation home'),
    link('file', doc['archive-download'], 'archive download'),
    link('image', doc.image),
    link('bom', doc.bom),
    link('file', doc['tool-list'], 'tool list'),
  ].filter((l): l is DesignLink => l !== undefined);
  for (const [key, kind] of DOCUMENT_LISTS) {
    const list = doc[key];
    if (list === undefined) continue;
    const items = Array.isArray(list) ? list : [list];
    items.forEach((item, i) => {
      const path = isTable(item) ? item.path : item;
      const l = link(kind, path, (isTable(item) ? str(item.title) : undefined) ?? key);
      if (l) links.push(l);
      else warnings.add(key, `${key}[${i}]: no path; skipped`);
    });
  }

  const okh: Table = { flavour: 'OKH v1' };
  for (const [k, v] of Object.entries(doc)) if (!MAPPED_KEYS.has(k)) okh[k] = plain(v);
  const extra: Table = { okh };
  if (Object.keys(licenses).length > 0) extra.licenses = licenses;

  return {
    content: {
      title,
      function: fn ?? '',
      license: primary.spdx,
      licensors: people(doc.licensor, 'licensor', warnings),
      contributors: people(doc.contributors, 'contributors', warnings),
      keywords,
      bom: [],
      links,
      requirements: [],
      extra,
    },
    name: title,
    repo: projectLink && FORGE.test(projectLink) ? projectLink : undefined,
    rawVersion: doc.version,
  };
}
