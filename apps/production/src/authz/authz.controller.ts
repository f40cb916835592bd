import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { type AuthzAnswer, authzPattern, type AuthzQuery } from '#libs/contracts/src/index.js';
import { ProductionService } from '../production.service.js';
import { UUID_RE } from '../shared/ids.js';

/**
 * Answers the gateway's role checks on the resources production owns:
 * - `job` / `operator`: the job's unit decides. A machine key holds it for its own unit's
 *   jobs; a person when fabrication says they operate the unit.
 * - `production-request` / `requester`: its requester; to anyone else it does not exist.
 */
@Controller()
export class ProductionAuthzController {
  constructor(@Inject(ProductionService) private readonly production: ProductionService) {}

  @MessagePattern(authzPattern('production'))
  async check(@Payload('data') query: AuthzQuery): Promise<AuthzAnswer> {
    if (typeof query?.id !== 'string' || !UUID_RE.test(query.id) || !query.actor) return 'not_found';
    const m = this.production.work.dataSource.manager;
    if (query.resource === 'job' && query.role === 'operator') {
      const job = await this.production.work.jobs.find(m, query.id);
      if (!job) return 'not_found';
      if (query.actor.platformAdmin) return 'allowed';
      if (query.actor.kind === 'machine') return query.actor.fabUnitId === job.fab_unit_id ? 'allowed' : 'forbidden';
      const answer = await this.production.neighbours.isUnitOperator(query.actor, job.fab_unit_id);
      return answer === 'allowed' ? 'allowed' : 'forbidden';
    }
    if (query.resource === 'production-request' && query.role === 'requester') {
      const request = await this.production.work.requests.find(m, query.id);
      if (!request) return 'not_found';
      if (query.actor.platformAdmin) return 'allowed';
      return query.actor.kind === 'person' && query.actor.accountId === request.requester_id ? 'allowed' : 'not_found';
    }
    return 'not_found';
  }
}
