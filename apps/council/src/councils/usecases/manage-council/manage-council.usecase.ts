import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type AddFabUnitDto,
  type AdmitMemberDto,
  type CouncilView,
  type CreateCouncilDto,
  type MemberView,
} from '#libs/contracts/src/council/index.js';
import { FABRICATION_PATTERNS, type FabUnitSummary, type SetCouncilMembership } from '#libs/contracts/src/fabrication/index.js';
import {
  type Actor,
  type AuthzAnswer,
  authzPattern,
  badRequest,
  conflict,
  forbidden,
  notFound,
  unprocessable,
} from '#libs/contracts/src/index.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { memberView, councilView } from '../../../shared/views.js';
import { person } from '../../../shared/actor.js';
import { resolveRules } from '../../council-rules.js';
import { COUNCILS_REPOSITORY, type CouncilsRepository } from '../../councils.repository.js';

/** Creating a council, reading it, admitting members, pooling fab units. */
@Injectable()
export class ManageCouncilUseCase {
  private readonly logger = new Logger('ManageCouncil');

  constructor(
    @Inject(COUNCILS_REPOSITORY) private readonly councils: CouncilsRepository,
    @Inject(serviceClientToken('fabrication')) private readonly fabrication: ServiceClient,
  ) {}

  async create(actor: Actor | null, body: CreateCouncilDto): Promise<CouncilView> {
    const me = person(actor);
    const { rules, errors } = resolveRules(body.rules);
    if (errors.length) throw badRequest(errors.length === 1 ? errors[0]!.message : `${errors.length} rules are not valid`, errors);
    const id = await this.councils.transaction(async (tx) => {
      const c = await this.councils.createWithAdmin(tx, { name: body.name.trim(), scope: (body.scope ?? '').trim(), rules, createdBy: me.accountId });
      return c.id;
    });
    return this.get(id);
  }

  async get(id: string, tx?: EntityManager): Promise<CouncilView> {
    const council = await this.councils.find(id, tx);
    if (!council) throw notFound('council', id);
    const [members, units] = await Promise.all([this.councils.members(id, tx), this.councils.fabUnits(id, tx)]);
    return councilView(council, members, units);
  }

  /** Council admins admit members (a passed motion does too, see the motions use case). */
  async admit(actor: Actor | null, councilId: string, body: AdmitMemberDto): Promise<MemberView> {
    const me = person(actor);
    return this.councils.transaction(async (tx) => {
      const council = await this.councils.lock(tx, councilId);
      if (!council) throw notFound('council', councilId);
      await this.requireAdmin(me, councilId, tx);
      const added = await this.councils.addMember(tx, { councilId, accountId: body.accountId, role: body.role, admittedBy: me.accountId });
      if (!added) throw conflict(`account ${body.accountId} is already a member of council ${councilId}`);
      return memberView(added);
    });
  }

  /** The unit's operator, or a council admin, pools a fab unit's capacity into the council. */
  async addFabUnit(actor: Actor | null, councilId: string, body: AddFabUnitDto): Promise<CouncilView> {
    const me = person(actor);
    const council = await this.councils.find(councilId);
    if (!council) throw notFound('council', councilId);
    const member = await this.councils.member(councilId, me.accountId);
    if (member?.role !== 'admin' && !me.platformAdmin) {
      const answer = await this.fabrication.send<AuthzAnswer>(authzPattern('fabrication'), me, {
        resource: 'fab-unit',
        role: 'operator',
        id: body.fabUnitId,
        actor: me,
      });
      if (answer === 'not_found') throw unprocessable('unknown-fab-unit', 'No such fab unit', `fab unit ${body.fabUnitId} does not exist`);
      if (answer !== 'allowed') throw forbidden(`Only a council admin or an operator of fab unit ${body.fabUnitId} may pool it into council ${councilId}`);
    }
    const found = await this.fabrication.send<FabUnitSummary[]>(FABRICATION_PATTERNS.fabUnitsSummary, me, { ids: [body.fabUnitId] });
    if (!found.some((u) => u.id === body.fabUnitId)) {
      throw unprocessable('unknown-fab-unit', 'No such fab unit', `fab unit ${body.fabUnitId} does not exist`);
    }
    const view = await this.councils.transaction(async (tx) => {
      if (!(await this.councils.lock(tx, councilId))) throw notFound('council', councilId);
      const added = await this.councils.addFabUnit(tx, { councilId, fabUnitId: body.fabUnitId, addedBy: me.accountId });
      if (!added) throw conflict(`fab unit ${body.fabUnitId} is already pooled in council ${councilId}`);
      return this.get(councilId, tx);
    });
    // The council's table is the truth; the unit's list of councils is a mirror for its page.
    // Mirroring is idempotent and must not undo the pooling when fabrication stumbles.
    await this.fabrication
      .send<unknown>(FABRICATION_PATTERNS.fabUnitsSetCouncil, me, { fabUnitId: body.fabUnitId, councilId, member: true } satisfies SetCouncilMembership)
      .catch((error: Error) => this.logger.warn(`fab unit ${body.fabUnitId} joined council ${councilId}, but fabrication did not record it: ${error.message}`));
    return view;
  }

  async requireAdmin(me: { accountId: string; platformAdmin: boolean }, councilId: string, tx?: EntityManager): Promise<void> {
    if (me.platformAdmin) return;
    const member = await this.councils.member(councilId, me.accountId, tx);
    if (member?.role !== 'admin') throw forbidden(`Only an admin of council ${councilId} may do this`);
  }
}
