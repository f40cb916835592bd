import type { INestMicroservice } from '@nestjs/common';
import type { AppConfig } from '#libs/config/src/index.js';
import { startMicroservice } from '#libs/platform/src/index.js';
import { FabricationModule } from './fabrication.module.js';

export function startFabrication(config: AppConfig): Promise<INestMicroservice> {
  return startMicroservice(FabricationModule.forRoot(config), config);
}
