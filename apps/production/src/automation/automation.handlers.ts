import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { Actor } from '#libs/contracts/src/index.js';
import { type AutomationView, FabUnitRefMessage, SetAutomationMessage } from '#libs/contracts/src/production/automation.js';
import { PRODUCTION_HTTP_PATTERNS } from '#libs/contracts/src/production/patterns.js';
import { AutomationService } from './automation.service.js';

/** Transport handlers of a unit's automation: validate (global pipe), call the service, return plain data. */
@Controller()
export class AutomationHandlers {
  constructor(@Inject(AutomationService) private readonly automation: AutomationService) {}

  @MessagePattern(PRODUCTION_HTTP_PATTERNS.automationGet)
  get(@Payload('actor') actor: Actor | null, @Payload('data') data: FabUnitRefMessage): Promise<AutomationView> {
    return this.automation.get(actor, data.fabUnitId);
  }

  @MessagePattern(PRODUCTION_HTTP_PATTERNS.automationSet)
  set(@Payload('actor') actor: Actor | null, @Payload('data') data: SetAutomationMessage): Promise<AutomationView> {
    return this.automation.set(actor, data);
  }
}
