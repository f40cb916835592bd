import { Inject, Injectable } from '@nestjs/common';
import { type Actor, type AuthzAnswer, forbidden, notFound, unauthorized } from '#libs/contracts/src/index.js';
import { FAB_UNITS_REPOSITORY, type FabUnitsRepository, type Tx } from '../fab-units/fab-units.repository.js';

/**
 * Who operates a fab unit: its operators (people), the API keys bound to it (machines), and
 * platform admins. The gateway asks before a route runs (authz handler); the service asks
 * again where the gateway cannot know the unit (a machine id) and before every write.
 */
@Injectable()
export class OperatorAccess {
  constructor(@Inject(FAB_UNITS_REPOSITORY) private readonly units: FabUnitsRepository) {}

  async answer(actor: Actor | null, fabUnitId: string, tx?: Tx): Promise<AuthzAnswer> {
    if (!(await this.units.exists(fabUnitId, tx))) return 'not_found';
    if (!actor) return 'forbidden';
    if (actor.platformAdmin) return 'allowed';
    if (actor.kind === 'machine') return actor.fabUnitId === fabUnitId ? 'allowed' : 'forbidden';
    return (await this.units.isOperator(fabUnitId, actor.accountId, tx)) ? 'allowed' : 'forbidden';
  }

  /** Throws 401, 403 or 404 unless the actor operates the unit. */
  async assert(actor: Actor | null, fabUnitId: string, tx?: Tx): Promise<void> {
    const answer = await this.answer(actor, fabUnitId, tx);
    if (answer === 'not_found') throw notFound('fab unit', fabUnitId);
    if (!actor) throw unauthorized();
    if (answer === 'forbidden') throw forbidden(`You need to be an operator of fab unit ${fabUnitId}`);
  }
}
