import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { unauthorized } from '#libs/contracts/src/index.js';

/** Strategies tried in order; each identifies one kind of actor. */
export const AUTH_STRATEGIES = ['jwt'];

/**
 * Identifies the actor on every request but does not decide access: no credentials means an
 * anonymous request (ResourceGuard then decides), wrong credentials are always a 401.
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard(AUTH_STRATEGIES) {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    if (!request.headers.authorization && !request.headers['x-api-key']) return true;
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(error: unknown, user: T | false): T {
    if (error || !user) throw unauthorized('The token or API key is not valid (expired, malformed or revoked)');
    return user;
  }
}
