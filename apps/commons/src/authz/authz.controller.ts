import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { type AuthzAnswer, authzPattern, type AuthzQuery } from '#libs/contracts/src/index.js';
import { DesignQueries } from '../designs/design-queries.js';

/** Answers the gateway's role checks on the resources commons owns: `design` / `maintainer`. */
@Controller()
export class CommonsAuthzController {
  constructor(private readonly queries: DesignQueries) {}

  @MessagePattern(authzPattern('commons'))
  check(@Payload('data') query: AuthzQuery): Promise<AuthzAnswer> {
    return this.queries.authorize(query);
  }
}
