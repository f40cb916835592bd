import { describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Actor, type AuthzAnswer, type AuthzQuery, DomainError } from '#libs/contracts/src/index.js';
import { PlatformAdminOnly, Public, Requires } from './requires.decorator.js';
import { ResourceGuard } from './resource.guard.js';

class Routes {
  @Public() open() {}
  signedIn() {}
  @Requires({ resource: 'fab-unit', role: 'operator' }) operate() {}
  @Requires({ resource: 'council', role: 'member', from: { body: 'councilId' } }) vote() {}
  @PlatformAdminOnly() admin() {}
}

const person: Actor = { kind: 'person', accountId: 'a1', platformAdmin: false };
const admin: Actor = { kind: 'person', accountId: 'root', platformAdmin: true };

function context(handler: keyof Routes, user: Actor | undefined, params: Record<string, string> = {}, body = {}): ExecutionContext {
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => ({ user, params, body }) }),
  } as unknown as ExecutionContext;
}

function guard(answer: AuthzAnswer, seen: AuthzQuery[] = []) {
  return new ResourceGuard(new Reflector(), { check: async (q) => (seen.push(q), answer) });
}

async function outcome(g: ResourceGuard, ctx: ExecutionContext): Promise<number | 'ok'> {
  try {
    await g.canActivate(ctx);
    return 'ok';
  } catch (error) {
    return (error as DomainError).status;
  }
}

describe('ResourceGuard', () => {
  it.each([
    ['public route, anonymous', 'open', undefined, 'allowed', 'ok'],
    ['closed route, anonymous', 'signedIn', undefined, 'allowed', 401],
    ['closed route, signed in', 'signedIn', person, 'allowed', 'ok'],
    ['role held', 'operate', person, 'allowed', 'ok'],
    ['role missing', 'operate', person, 'forbidden', 403],
    ['resource missing', 'operate', person, 'not_found', 404],
    ['platform admin without the role', 'operate', admin, 'forbidden', 'ok'],
    ['admin route, person', 'admin', person, 'allowed', 403],
    ['admin route, admin', 'admin', admin, 'allowed', 'ok'],
  ] as const)('%s', async (_label, handler, user, answer, expected) => {
    expect(await outcome(guard(answer), context(handler, user, { id: 'u1' }))).toBe(expected);
  });

  it('asks the owning service about the resource named by the route', async () => {
    const seen: AuthzQuery[] = [];
    await guard('allowed', seen).canActivate(context('operate', person, { id: 'unit-7' }));
    await guard('allowed', seen).canActivate(context('vote', person, {}, { councilId: 'c-3' }));
    expect(seen.map(({ resource, role, id }) => ({ resource, role, id }))).toEqual([
      { resource: 'fab-unit', role: 'operator', id: 'unit-7' },
      { resource: 'council', role: 'member', id: 'c-3' },
    ]);
  });
});
