import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { type AuthzAnswer, authzPattern, type AuthzQuery } from '#libs/contracts/src/index.js';
import { COUNCILS_REPOSITORY, type CouncilsRepository } from '../councils/councils.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Answers the gateway's role checks on what council owns: `member` (any role) or `admin` of a
 * council, or of the council a motion or round belongs to. Machines (API keys) hold no council
 * role. Unknown ids answer not_found.
 */
@Controller()
export class CouncilAuthzController {
  constructor(@Inject(COUNCILS_REPOSITORY) private readonly councils: CouncilsRepository) {}

  @MessagePattern(authzPattern('council'))
  async check(@Payload('data') query: AuthzQuery): Promise<AuthzAnswer> {
    if (!UUID.test(query.id)) return 'not_found';
    if (query.resource !== 'council' && query.resource !== 'motion' && query.resource !== 'round') return 'not_found';
    const person = query.actor.kind === 'person' ? query.actor.accountId : null;
    const { exists, role } = await this.councils.roleOn(query.resource, query.id, person);
    if (!exists) return 'not_found';
    if (!role) return 'forbidden';
    if (query.role === 'admin') return role === 'admin' ? 'allowed' : 'forbidden';
    return query.role === 'member' ? 'allowed' : 'forbidden';
  }
}
