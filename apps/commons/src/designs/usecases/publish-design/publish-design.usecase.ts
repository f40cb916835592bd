import { Inject, Injectable } from '@nestjs/common';
import type { CreateDesignDto } from '#libs/contracts/src/commons/dto.js';
import type { DesignVersionView } from '#libs/contracts/src/commons/views.js';
import type { Actor } from '#libs/contracts/src/index.js';
import { requirePerson } from '../../actors.js';
import { contentOrThrow, publishableVersion } from '../../content-problems.js';
import { checkContent } from '../../design-content.js';
import { versionView } from '../../design-views.js';
import { DESIGNS_REPOSITORY, type DesignsRepository } from '../../designs.repository.js';
import { publishNewDesign } from '../../new-design.js';

/** Anyone signed in publishes, with no approval first; the publisher becomes its first maintainer. */
@Injectable()
export class PublishDesignUseCase {
  constructor(@Inject(DESIGNS_REPOSITORY) private readonly designs: DesignsRepository) {}

  async execute(actor: Actor | null, input: CreateDesignDto): Promise<DesignVersionView> {
    const person = requirePerson(actor, 'publish a design');
    const version = publishableVersion(input.version ?? '1.0.0');
    const content = contentOrThrow(checkContent(input));
    const created = await this.designs.transaction((store) =>
      publishNewDesign(store, { slug: input.slug, version, content, createdBy: person.accountId }),
    );
    return versionView(this.designs, (await this.designs.findVersionById(created.id))!);
  }
}
