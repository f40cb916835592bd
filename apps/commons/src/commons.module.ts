import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type AppConfig, AppConfigModule } from '#libs/config/src/index.js';
import { healthPattern } from '#libs/contracts/src/index.js';
import { DatabaseModule } from '#libs/database/src/index.js';
import { healthControllerFor, loggerParams } from '#libs/platform/src/index.js';
import { CommonsAuthzController } from './authz/authz.controller.js';
import { commonsDatabase } from './commons.database.js';

@Module({})
export class CommonsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CommonsModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, 'commons')),
        DatabaseModule.forApp(commonsDatabase),
      ],
      controllers: [healthControllerFor(healthPattern('commons')), CommonsAuthzController],
    };
  }
}
