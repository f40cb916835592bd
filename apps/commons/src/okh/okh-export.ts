import { stringify } from 'smol-toml';
import type { Contributor, DesignVersionContent } from '#libs/contracts/src/commons/design-version.js';
import { getProcess, processAncestors } from '#libs/taxonomy/src/index.js';
import { normaliseContent } from '../designs/content-hash.js';
import { COSMOLOCAL_KEY, writeCosmolocalExtension } from './cosmolocal-extension.js';
import type { Table } from './okh-values.js';

export interface OkhExportMeta {
  version: string;
  designId: string;
  slug: string;
  repo?: string;
}

/**
 * The design version as an OKH-LOSH manifest (okh.toml): the standard keys LOSH readers use
 * (okhv, name, version, repo, license, licensor, function, image, bom, tsdc) plus the
 * `[cosmolocal]` extension (cosmolocal-extension.ts) with everything OKH cannot say, so that
 * `parseOkhManifest(toOkhLoshToml(c, meta), 'application/toml')` gives back content with the
 * same contentHash as `c`.
 */
export function toOkhLoshToml(content: DesignVersionContent, meta: OkhExportMeta): string {
  const c = normaliseContent(content);
  const doc: Table = { okhv: 'OKH-LOSHv1.0', name: c.title, version: meta.version };
  if (meta.repo) doc.repo = meta.repo;
  doc.license = c.license;
  if (c.licensors.length > 0) doc.licensor = c.licensors.map(personText).join(', ');
  if (c.function) doc.function = c.function;
  const image = c.links.find((l) => l.kind === 'image');
  if (image) doc.image = image.url;
  const bom = c.links.find((l) => l.kind === 'bom');
  if (bom) doc.bom = bom.url;
  const tsdc = tsdcCodes(c);
  if (tsdc.length > 0) doc.tsdc = tsdc;
  doc[COSMOLOCAL_KEY] = writeCosmolocalExtension(c, { designId: meta.designId, slug: meta.slug });
  return `# Open Know-How manifest (OKH-LOSH) exported by Cosmolocal; [cosmolocal] holds what OKH cannot say.\n${stringify(doc)}\n`;
}

function personText(p: Contributor): string {
  return p.email ? `${p.name} <${p.email}>` : p.name;
}

/** The TsDC codes of the required processes (or their ancestors), in first-use order. */
function tsdcCodes(c: DesignVersionContent): string[] {
  const codes: string[] = [];
  for (const step of c.requirements) {
    const code = processAncestors(step.process)
      .map((id) => getProcess(id)?.tsdc)
      .find((t) => t !== undefined);
    if (code && !codes.includes(code)) codes.push(code);
  }
  return codes;
}
