import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { type AuthzAnswer, authzPattern, type AuthzQuery } from '#libs/contracts/src/index.js';

/** Answers the gateway's role checks on the resources commons owns. */
@Controller()
export class CommonsAuthzController {
  @MessagePattern(authzPattern('commons'))
  check(@Payload('data') _query: AuthzQuery): AuthzAnswer {
    return 'not_found';
  }
}
