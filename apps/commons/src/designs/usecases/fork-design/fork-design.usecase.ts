import { Inject, Injectable } from '@nestjs/common';
import type { ForkDesignDto } from '#libs/contracts/src/commons/dto.js';
import type { DesignVersionView } from '#libs/contracts/src/commons/views.js';
import { type Actor, notFound, unprocessable } from '#libs/contracts/src/index.js';
import { forkLicenseAllowed } from '../../../licenses/fork-license.js';
import { requirePerson } from '../../actors.js';
import { contentOrThrow, publishableVersion, versionParam } from '../../content-problems.js';
import { checkContent } from '../../design-content.js';
import { versionView } from '../../design-views.js';
import { DESIGNS_REPOSITORY, type DesignsRepository } from '../../designs.repository.js';
import { publishNewDesign } from '../../new-design.js';

/**
 * A fork is a new design whose first version records the version it forks. It starts as a
 * copy of that version; what the body names replaces it. Its license must be one the parent's
 * license allows (share-alike is never dropped); a refusal names the rule.
 */
@Injectable()
export class ForkDesignUseCase {
  constructor(@Inject(DESIGNS_REPOSITORY) private readonly designs: DesignsRepository) {}

  async execute(actor: Actor | null, designRef: string, body: ForkDesignDto): Promise<DesignVersionView> {
    const person = requirePerson(actor, 'fork a design');
    const initialVersion = publishableVersion(body.initialVersion ?? '1.0.0');
    const design = await this.designs.findDesign(designRef);
    if (!design) throw notFound('design', designRef);
    const parentVersion = versionParam(body.version ?? 'latest');
    const parent = await this.designs.findVersion(design.id, parentVersion);
    if (!parent) throw notFound('version', `${design.slug}@${parentVersion}`);

    const p = parent.content;
    const content = contentOrThrow(
      checkContent({
        title: body.title ?? p.title,
        function: body.function ?? p.function,
        license: body.license ?? p.license,
        licensors: body.licensors ?? p.licensors,
        contributors: body.contributors ?? p.contributors,
        keywords: body.keywords ?? p.keywords,
        bom: body.bom ?? p.bom,
        links: body.links ?? p.links,
        requirements: body.requirements ?? p.requirements,
        extra: body.extra ?? p.extra,
      }),
    );
    const verdict = forkLicenseAllowed(p.license, content.license);
    if (!verdict.ok) {
      throw unprocessable(
        'fork-license-not-allowed',
        "The fork's license is not one its parent allows",
        `A fork of ${parent.slug}@${parent.version} (${p.license}) cannot carry ${content.license}: ${verdict.rule}`,
        { rule: verdict.rule, parentLicense: p.license, license: content.license },
      );
    }

    const created = await this.designs.transaction((store) =>
      publishNewDesign(store, {
        slug: body.slug,
        version: initialVersion,
        content,
        repo: null,
        forkedFromVersionId: parent.id,
        createdBy: person.accountId,
      }),
    );
    return versionView(this.designs, (await this.designs.findVersionById(created.id))!);
  }
}
