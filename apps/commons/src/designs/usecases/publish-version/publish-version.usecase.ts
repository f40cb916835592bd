import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import semver from 'semver';
import type { CreateVersionDto } from '#libs/contracts/src/commons/dto.js';
import type { DesignVersionView } from '#libs/contracts/src/commons/views.js';
import { type Actor, conflict, forbidden, notFound } from '#libs/contracts/src/index.js';
import { requirePerson } from '../../actors.js';
import { contentHash } from '../../content-hash.js';
import { contentOrThrow, publishableVersion } from '../../content-problems.js';
import { checkContent } from '../../design-content.js';
import { versionView } from '../../design-views.js';
import {
  DESIGNS_REPOSITORY,
  type DesignsRepository,
  type DesignsStore,
  type DesignRecord,
  SameContentError,
  type VersionRecord,
  VersionTakenError,
} from '../../designs.repository.js';
import { headOf } from '../../new-design.js';

/**
 * A maintainer adds a version. Versions never change, so a change is a new semver; the same
 * semver twice is a 409 (the unique constraint decides between concurrent publications), and
 * so is a "new" version with exactly the content of an existing one.
 */
@Injectable()
export class PublishVersionUseCase {
  constructor(@Inject(DESIGNS_REPOSITORY) private readonly designs: DesignsRepository) {}

  async execute(actor: Actor | null, designRef: string, input: CreateVersionDto): Promise<DesignVersionView> {
    const person = requirePerson(actor, 'publish a version');
    const version = publishableVersion(input.version);
    const content = contentOrThrow(checkContent(input));
    const id = await this.designs.transaction(async (store) => {
      const design = await store.findDesign(designRef, { lock: true });
      if (!design) throw notFound('design', designRef);
      if (!person.platformAdmin && !(await store.isMaintainer(design.id, person.accountId))) {
        throw forbidden(`Only maintainers of ${design.slug} publish its versions; fork it to publish your own`);
      }
      return (await addVersion(store, design, { version, content, publishedBy: person.accountId })).id;
    });
    return versionView(this.designs, (await this.designs.findVersionById(id))!);
  }
}

/** Writes a version of a design locked by the caller; the head moves when it is the highest semver. */
export async function addVersion(
  store: DesignsStore,
  design: DesignRecord,
  v: { version: string; content: VersionRecord['content']; publishedBy: string | null; repo?: string | null },
): Promise<{ id: string; contentHash: string }> {
  const id = randomUUID();
  const hash = contentHash(v.content);
  try {
    await store.insertVersion({ id, designId: design.id, version: v.version, content: v.content, contentHash: hash, repo: v.repo ?? null, publishedBy: v.publishedBy });
  } catch (error) {
    if (error instanceof VersionTakenError) {
      throw conflict(`Version ${v.version} of ${design.slug} is already published; published versions never change, publish a new version`, {
        version: v.version,
      });
    }
    if (error instanceof SameContentError) {
      throw conflict(`This content is already published as a version of ${design.slug} (content hash ${hash}); a new version must change something`, {
        contentHash: hash,
      });
    }
    throw error;
  }
  if (semver.gt(v.version, design.latestVersion)) await store.setHead(design.id, headOf(id, v.version, v.content));
  return { id, contentHash: hash };
}
