import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type AppConfig, AppConfigModule } from '#libs/config/src/index.js';
import { healthPattern } from '#libs/contracts/src/index.js';
import { DatabaseModule } from '#libs/database/src/index.js';
import { healthControllerFor, loggerParams } from '#libs/platform/src/index.js';
import { CouncilAuthzController } from './authz/authz.controller.js';
import { councilDatabase } from './council.database.js';

@Module({})
export class CouncilModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CouncilModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, 'council')),
        DatabaseModule.forApp(councilDatabase),
      ],
      controllers: [healthControllerFor(healthPattern('council')), CouncilAuthzController],
    };
  }
}
