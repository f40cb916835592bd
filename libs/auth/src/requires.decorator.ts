import { applyDecorators, SetMetadata } from '@nestjs/common';
import type { ResourceRole } from '#libs/contracts/src/index.js';

export const REQUIRES_KEY = 'cosmolocal:requires';
export const PUBLIC_KEY = 'cosmolocal:public';
export const PLATFORM_ADMIN_KEY = 'cosmolocal:platform-admin';

export type Requirement = ResourceRole & {
  /** Where the resource id is read: a route parameter (default `id`) or a body field. */
  from?: { param: string } | { body: string };
};

/**
 * Declares who may call a route: the actor must hold `role` on the resource whose id is in
 * the route parameter. The owning service decides; platform admins always may.
 *
 *   @Requires({ resource: 'fab-unit', role: 'operator' })
 */
export const Requires = (requirement: Requirement) => SetMetadata(REQUIRES_KEY, requirement);

/** Anyone, signed in or not (the actor is still resolved when credentials are sent). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Platform admins only. */
export const PlatformAdminOnly = () => applyDecorators(SetMetadata(PLATFORM_ADMIN_KEY, true));
