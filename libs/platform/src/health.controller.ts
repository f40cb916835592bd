import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';

/**
 * Answers the gateway's health ping over the transport. Each service module registers it
 * with its own pattern through `healthControllerFor`, so answering proves the service's
 * handlers are subscribed, not merely that Redis is up.
 */
export function healthControllerFor(pattern: string): new () => object {
  @Controller()
  class ServiceHealthController {
    @MessagePattern(pattern)
    ping(): { status: 'up'; at: string } {
      return { status: 'up', at: new Date().toISOString() };
    }
  }
  return ServiceHealthController;
}
