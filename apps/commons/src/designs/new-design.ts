import { randomUUID } from 'node:crypto';
import type { DesignVersionContent } from '#libs/contracts/src/commons/design-version.js';
import { conflict } from '#libs/contracts/src/index.js';
import { contentHash } from './content-hash.js';
import { requiredMaterials, requiredProcesses } from './design-content.js';
import { type DesignHead, type DesignsStore, SlugTakenError, type VersionRecord } from './designs.repository.js';
import { nextFreeSlug, slugify } from './slug.js';

export function headOf(versionId: string, version: string, content: DesignVersionContent): DesignHead {
  return {
    latestVersionId: versionId,
    latestVersion: version,
    title: content.title,
    function: content.function,
    keywords: content.keywords,
    license: content.license,
    processes: requiredProcesses(content),
    materials: requiredMaterials(content),
  };
}

export interface NewDesignInput {
  /** Asked for: taken is a 409. Absent: derived from `slugFrom` (or the title), numbered when taken. */
  slug?: string;
  slugFrom?: string;
  version: string;
  content: DesignVersionContent;
  repo?: string | null;
  forkedFromVersionId?: string | null;
  createdBy: string | null;
}

const SLUG_ATTEMPTS = 5;

/** Writes a new design with its first version; its creator is its first maintainer. */
export async function publishNewDesign(store: DesignsStore, input: NewDesignInput): Promise<VersionRecord> {
  const designId = randomUUID();
  const versionId = randomUUID();
  const hash = contentHash(input.content);
  const base = slugify(input.slugFrom ?? input.content.title);
  for (let attempt = 1; ; attempt++) {
    const slug = input.slug ?? nextFreeSlug(base, await store.slugsLike(base));
    try {
      await store.insertDesign(
        {
          id: designId,
          slug,
          createdBy: input.createdBy,
          head: headOf(versionId, input.version, input.content),
          maintainers: input.createdBy ? [input.createdBy] : [],
        },
        {
          id: versionId,
          designId,
          version: input.version,
          content: input.content,
          contentHash: hash,
          repo: input.repo ?? null,
          forkedFromVersionId: input.forkedFromVersionId ?? null,
          publishedBy: input.createdBy,
        },
      );
      return {
        id: versionId,
        designId,
        slug,
        version: input.version,
        content: input.content,
        contentHash: hash,
        repo: input.repo ?? null,
        forkedFromVersionId: input.forkedFromVersionId ?? null,
        publishedBy: input.createdBy,
        publishedAt: new Date(),
      };
    } catch (error) {
      if (!(error instanceof SlugTakenError)) throw error;
      if (input.slug) throw conflict(`The slug ${input.slug} is taken by another design; choose another`, { slug: input.slug });
      // Someone took the derived slug between our look and our write: look again.
      if (attempt >= SLUG_ATTEMPTS) throw conflict(`Could not find a free slug for ${base}; give one`, { slug: base });
    }
  }
}
