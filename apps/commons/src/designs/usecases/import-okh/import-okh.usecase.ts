import { Inject, Injectable } from '@nestjs/common';
import type { OkhManifestMediaType } from '#libs/contracts/src/commons/dto.js';
import type { OkhImportResult } from '#libs/contracts/src/commons/views.js';
import { parseOkhManifest } from '../../../okh/okh-import.js';
import { contentHash } from '../../content-hash.js';
import { okhImportProblem } from '../../content-problems.js';
import { DESIGNS_REPOSITORY, type DesignsRepository } from '../../designs.repository.js';
import { publishNewDesign } from '../../new-design.js';
import { slugify } from '../../slug.js';
import { addVersion } from '../publish-version/publish-version.usecase.js';

export interface Publisher {
  /** The person importing; null for an operator's import from the command line (no maintainer). */
  accountId: string | null;
}

/**
 * Imports an OKH manifest (v1 or LOSH; YAML, TOML or JSON), leniently: what can be safely
 * understood is imported and every repair is a warning; what cannot be read is refused naming
 * the line or field, a license that is not open is refused naming it.
 *
 * Idempotent by content: importing content the commons already holds (the same manifest
 * again, or an exported manifest) writes nothing and answers the existing design and version
 * (`created: false`). A manifest whose slug names a design the importer maintains becomes a
 * new version of it; a slug someone else's design holds gets a numbered slug of its own.
 */
@Injectable()
export class ImportOkhUseCase {
  constructor(@Inject(DESIGNS_REPOSITORY) private readonly designs: DesignsRepository) {}

  async execute(publisher: Publisher, mediaType: OkhManifestMediaType, manifest: string): Promise<OkhImportResult> {
    const parsed = parseOkhManifest(manifest, mediaType);
    if ('error' in parsed) throw okhImportProblem(parsed.error);
    const { content, version } = parsed;
    const hash = contentHash(content);
    const warnings = [...parsed.warnings];

    return this.designs.transaction(async (store) => {
      await store.lockContent(hash);
      const existing = await store.findVersionByHash(hash);
      if (existing) {
        if (existing.version !== version) {
          warnings.push(`the same content is already published as ${existing.slug} ${existing.version}; version ${version} was not added`);
        }
        return {
          designId: existing.designId,
          slug: existing.slug,
          designVersionId: existing.id,
          version: existing.version,
          contentHash: existing.contentHash,
          warnings,
          created: false,
        };
      }

      const base = slugify(parsed.name);
      const own = await store.findDesign(base, { lock: true });
      if (own && publisher.accountId && (await store.isMaintainer(own.id, publisher.accountId))) {
        const added = await addVersion(store, own, { version, content, publishedBy: publisher.accountId, repo: parsed.repo ?? null });
        return { designId: own.id, slug: own.slug, designVersionId: added.id, version, contentHash: added.contentHash, warnings, created: true };
      }

      const created = await publishNewDesign(store, {
        slugFrom: parsed.name,
        version,
        content,
        repo: parsed.repo ?? null,
        createdBy: publisher.accountId,
      });
      if (created.slug !== base) warnings.push(`the slug ${base} belongs to another design; published as ${created.slug}`);
      return {
        designId: created.designId,
        slug: created.slug,
        designVersionId: created.id,
        version,
        contentHash: created.contentHash,
        warnings,
        created: true,
      };
    });
  }
}
