import type { AuthzAnswer, AuthzQuery } from '#libs/contracts/src/index.js';

/** Answers whether an actor holds a role on a resource; the gateway asks the owning service. */
export interface AuthzResolver {
  check(query: AuthzQuery): Promise<AuthzAnswer>;
}

export const AUTHZ_RESOLVER = Symbol('AUTHZ_RESOLVER');
