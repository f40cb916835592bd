import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CapacityMessage, CapacityPoolDto } from '#libs/contracts/src/fabrication/dto.js';
import { FABRICATION_PATTERNS } from '#libs/contracts/src/fabrication/messages.js';
import { FABRICATION_HTTP_PATTERNS } from '#libs/contracts/src/fabrication/patterns.js';
import type { CapacityView } from '#libs/contracts/src/fabrication/views.js';
import { ComputeCapacityUseCase } from './usecases/compute-capacity/compute-capacity.usecase.js';

@Controller()
export class CapacityHandlers {
  constructor(private readonly capacity: ComputeCapacityUseCase) {}

  @MessagePattern(FABRICATION_HTTP_PATTERNS.capacityGet)
  forUnit(@Payload('data') data: CapacityMessage): Promise<CapacityView> {
    return this.capacity.forUnit(data.fabUnitId, data.from, data.to);
  }

  /** A council's round budget: the pooled free capacity of its member units. */
  @MessagePattern(FABRICATION_PATTERNS.capacityPool)
  pool(@Payload('data') data: CapacityPoolDto): Promise<CapacityView> {
    return this.capacity.pool(data.fabUnitIds, data.from, data.to);
  }
}
