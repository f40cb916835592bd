import type { Actor } from './actor.js';

/**
 * Per-resource roles. A route declares the role it needs on which resource; the service
 * that owns the resource answers whether the actor holds it.
 */
export type ResourceRole =
  | { resource: 'design'; role: 'maintainer' }
  | { resource: 'fab-unit'; role: 'operator' }
  | { resource: 'job'; role: 'operator' }
  | { resource: 'production-request'; role: 'requester' }
  | { resource: 'council'; role: 'member' | 'admin' }
  | { resource: 'motion'; role: 'member' | 'admin' }
  | { resource: 'round'; role: 'member' | 'admin' };

export type ResourceKind = ResourceRole['resource'];

export interface AuthzQuery {
  resource: ResourceKind;
  role: string;
  id: string;
  actor: Actor;
}

/** `not_found` lets the gateway answer 404 rather than leak that something exists. */
export type AuthzAnswer = 'allowed' | 'forbidden' | 'not_found';
