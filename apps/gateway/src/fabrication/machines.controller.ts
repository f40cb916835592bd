import { Body, Controller, Inject, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '#libs/auth/src/index.js';
import { UpdateMachineDto } from '#libs/contracts/src/fabrication/dto.js';
import { FABRICATION_HTTP_PATTERNS } from '#libs/contracts/src/fabrication/patterns.js';
import type { MachineView } from '#libs/contracts/src/fabrication/views.js';
import { MachineViewDto } from '#libs/contracts/src/fabrication/view-dtos.js';
import type { Actor } from '#libs/contracts/src/index.js';
import { type ServiceClient, serviceClientToken } from '#libs/platform/src/index.js';
import { ApiProblems } from '../http/api-problems.decorator.js';

@ApiTags('fab units')
@Controller('machines')
export class MachinesController {
  constructor(@Inject(serviceClientToken('fabrication')) private readonly fabrication: ServiceClient) {}

  /** Signed in; fabrication checks that the actor operates the machine's unit (only it knows the unit). */
  @Patch(':id')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Change a machine: status (maintenance), envelope, materials, own hours (the unit's operators)" })
  @ApiOkResponse({ type: MachineViewDto })
  @ApiProblems(400, 401, 403, 404, 503)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateMachineDto, @CurrentActor() actor: Actor): Promise<MachineView> {
    return this.fabrication.send(FABRICATION_HTTP_PATTERNS.machinesUpdate, actor, { machineId: id, patch: body });
  }
}
