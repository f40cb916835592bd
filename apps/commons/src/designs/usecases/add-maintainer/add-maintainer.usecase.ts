import { Inject, Injectable } from '@nestjs/common';
import type { DesignView } from '#libs/contracts/src/commons/views.js';
import { type Actor, forbidden, notFound } from '#libs/contracts/src/index.js';
import { requirePerson } from '../../actors.js';
import { designView } from '../../design-views.js';
import { DESIGNS_REPOSITORY, type DesignsRepository } from '../../designs.repository.js';

/** Maintainers add maintainers (idempotent: adding one twice changes nothing). */
@Injectable()
export class AddMaintainerUseCase {
  constructor(@Inject(DESIGNS_REPOSITORY) private readonly designs: DesignsRepository) {}

  async execute(actor: Actor | null, designRef: string, accountId: string): Promise<DesignView> {
    const person = requirePerson(actor, 'add a maintainer');
    const design = await this.designs.findDesign(designRef);
    if (!design) throw notFound('design', designRef);
    if (!person.platformAdmin && !(await this.designs.isMaintainer(design.id, person.accountId))) {
      throw forbidden(`Only maintainers of ${design.slug} add maintainers`);
    }
    await this.designs.addMaintainer(design.id, accountId.toLowerCase(), person.accountId);
    return designView(this.designs, design);
  }
}
