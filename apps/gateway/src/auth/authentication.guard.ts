import { type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Actor } from '#libs/contracts/src/index.js';
import { unauthorized } from '#libs/contracts/src/index.js';
import { ApiKeysService } from '../api-keys/api-keys.service.js';

/**
 * Identifies the actor on every request but does not decide access: no credentials means an
 * anonymous request (ResourceGuard then decides), wrong credentials are always a 401.
 * People send `Authorization: Bearer <jwt>`; machines send `X-Api-Key: ck_…`.
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard('jwt') {
  constructor(private readonly apiKeys: ApiKeysService) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: Actor }>();
    const apiKey = request.headers['x-api-key'];
    if (apiKey) {
      const actor = await this.apiKeys.authenticate(apiKey);
      if (!actor) throw unauthorized('The API key is not valid (unknown, malformed or revoked)');
      request.user = actor;
      return true;
    }
    if (!request.headers.authorization) return true;
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(error: unknown, user: T | false): T {
    if (error || !user) throw unauthorized('The token is not valid (expired, malformed or signed by someone else)');
    return user;
  }
}
