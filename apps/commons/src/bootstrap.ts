import type { INestMicroservice } from '@nestjs/common';
import type { AppConfig } from '#libs/config/src/index.js';
import { startMicroservice } from '#libs/platform/src/index.js';
import { CommonsModule } from './commons.module.js';

export function startCommons(config: AppConfig): Promise<INestMicroservice> {
  return startMicroservice(CommonsModule.forRoot(config), config);
}
