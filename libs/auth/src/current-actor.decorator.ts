import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '#libs/contracts/src/index.js';

/** The authenticated actor of an HTTP request, or null on a public route. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor | null => {
  const request = ctx.switchToHttp().getRequest<{ user?: Actor }>();
  return request.user ?? null;
});
