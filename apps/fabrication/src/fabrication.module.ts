import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type AppConfig, AppConfigModule } from '#libs/config/src/index.js';
import { healthPattern } from '#libs/contracts/src/index.js';
import { DatabaseModule } from '#libs/database/src/index.js';
import { healthControllerFor, loggerParams } from '#libs/platform/src/index.js';
import { FabricationAuthzController } from './authz/authz.controller.js';
import { fabricationDatabase } from './fabrication.database.js';

@Module({})
export class FabricationModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: FabricationModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, 'fabrication')),
        DatabaseModule.forApp(fabricationDatabase),
      ],
      controllers: [healthControllerFor(healthPattern('fabrication')), FabricationAuthzController],
    };
  }
}
