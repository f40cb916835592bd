import { Inject, Injectable } from '@nestjs/common';
import type { CreateEndorsementDto } from '#libs/contracts/src/commons/dto.js';
import type { EndorsementView } from '#libs/contracts/src/commons/views.js';
import {
  type Actor,
  type AuthzAnswer,
  authzPattern,
  type AuthzQuery,
  conflict,
  forbidden,
  notFound,
} from '#libs/contracts/src/index.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { requirePerson } from '../../actors.js';
import { versionParam } from '../../content-problems.js';
import { AlreadyEndorsedError, DESIGNS_REPOSITORY, type DesignsRepository } from '../../designs.repository.js';

/**
 * Endorsements: a maintainer vouches for a version of their design, or a council does (an
 * admin of the council acts for it; the council service decides who its admins are). Each
 * endorser endorses a version once.
 */
@Injectable()
export class EndorseVersionUseCase {
  constructor(
    @Inject(DESIGNS_REPOSITORY) private readonly designs: DesignsRepository,
    @Inject(serviceClientToken('council')) private readonly council: ServiceClient,
  ) {}

  async execute(actor: Actor | null, designRef: string, version: string, body: CreateEndorsementDto): Promise<EndorsementView> {
    const person = requirePerson(actor, 'endorse a version');
    const design = await this.designs.findDesign(designRef);
    if (!design) throw notFound('design', designRef);
    const v = await this.designs.findVersion(design.id, versionParam(version));
    if (!v) throw notFound('version', `${design.slug}@${version}`);

    let kind: 'maintainer' | 'council';
    let endorserId: string;
    if (body.councilId) {
      const query: AuthzQuery = { resource: 'council', role: 'admin', id: body.councilId, actor: person };
      // A council that does not answer in time is a 503 (ServiceClient), never a silent yes.
      const answer = await this.council.send<AuthzAnswer>(authzPattern('council'), person, query);
      if (answer === 'not_found') throw notFound('council', body.councilId);
      if (answer !== 'allowed') throw forbidden(`Only admins of council ${body.councilId} endorse on its behalf`);
      kind = 'council';
      endorserId = body.councilId;
    } else {
      if (!(await this.designs.isMaintainer(design.id, person.accountId))) {
        throw forbidden(`Only maintainers of ${design.slug} endorse it as maintainers; a council endorses with councilId`);
      }
      kind = 'maintainer';
      endorserId = person.accountId;
    }

    try {
      return await this.designs.insertEndorsement({ designVersionId: v.id, kind, endorserId, endorsedBy: person.accountId, note: body.note ?? null });
    } catch (error) {
      if (error instanceof AlreadyEndorsedError) {
        throw conflict(`${kind === 'council' ? `Council ${endorserId}` : 'You'} already endorsed ${design.slug}@${v.version}`);
      }
      throw error;
    }
  }
}
