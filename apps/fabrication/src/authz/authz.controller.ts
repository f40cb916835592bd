import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { type AuthzAnswer, authzPattern, type AuthzQuery } from '#libs/contracts/src/index.js';
import { OperatorAccess } from '../access/operator-access.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Answers the gateway's role checks on the resources fabrication owns: `fab-unit` /
 * `operator` is held by the unit's operators and by API keys bound to the unit.
 */
@Controller()
export class FabricationAuthzController {
  constructor(private readonly access: OperatorAccess) {}

  @MessagePattern(authzPattern('fabrication'))
  async check(@Payload('data') query: AuthzQuery): Promise<AuthzAnswer> {
    if (query?.resource !== 'fab-unit' || query.role !== 'operator') return 'not_found';
    // A malformed id names nothing (and must not reach a uuid column as a 500).
    if (typeof query.id !== 'string' || !UUID.test(query.id)) return 'not_found';
    return this.access.answer(query.actor ?? null, query.id);
  }
}
