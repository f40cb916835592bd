import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Actor, forbidden, notFound, unauthorized } from '#libs/contracts/src/index.js';
import { AUTHZ_RESOLVER, type AuthzResolver } from './authz-resolver.js';
import { PLATFORM_ADMIN_KEY, PUBLIC_KEY, REQUIRES_KEY, type Requirement } from './requires.decorator.js';

interface GuardedRequest {
  user?: Actor;
  params: Record<string, string>;
  body?: Record<string, unknown>;
}

/**
 * Runs after authentication. Routes are closed by default: a route must be @Public(), or it
 * needs a signed-in actor, and then whatever @Requires / @PlatformAdminOnly declare.
 */
@Injectable()
export class ResourceGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHZ_RESOLVER) private readonly resolver: AuthzResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const actor = request.user;
    if (!actor) throw unauthorized();

    if (this.reflector.getAllAndOverride<boolean>(PLATFORM_ADMIN_KEY, targets) && !actor.platformAdmin) {
      throw forbidden('Only platform admins may do this');
    }

    const requirement = this.reflector.getAllAndOverride<Requirement | undefined>(REQUIRES_KEY, targets);
    if (!requirement) return true;

    const id = 'body' in (requirement.from ?? {})
      ? String(request.body?.[(requirement.from as { body: string }).body] ?? '')
      : request.params[(requirement.from as { param: string } | undefined)?.param ?? 'id'];
    if (!id) throw notFound(requirement.resource, '(missing id)');

    const answer = await this.resolver.check({ resource: requirement.resource, role: requirement.role, id, actor });
    if (answer === 'not_found') throw notFound(requirement.resource, id);
    if (answer === 'forbidden' && !actor.platformAdmin) {
      throw forbidden(`You need to be ${article(requirement.role)} ${requirement.role} of ${requirement.resource} ${id}`);
    }
    return true;
  }
}

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');
