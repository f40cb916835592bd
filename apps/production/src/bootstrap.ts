import type { INestMicroservice } from '@nestjs/common';
import type { AppConfig } from '#libs/config/src/index.js';
import { startMicroservice } from '#libs/platform/src/index.js';
import { ProductionModule } from './production.module.js';

export function startProduction(config: AppConfig): Promise<INestMicroservice> {
  return startMicroservice(ProductionModule.forRoot(config), config);
}
