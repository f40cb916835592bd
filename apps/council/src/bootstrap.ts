import type { INestMicroservice } from '@nestjs/common';
import type { AppConfig } from '#libs/config/src/index.js';
import { startMicroservice } from '#libs/platform/src/index.js';
import { CouncilModule } from './council.module.js';

export function startCouncil(config: AppConfig): Promise<INestMicroservice> {
  return startMicroservice(CouncilModule.forRoot(config), config);
}
