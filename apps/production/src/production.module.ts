import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type AppConfig, AppConfigModule } from '#libs/config/src/index.js';
import { healthPattern } from '#libs/contracts/src/index.js';
import { DatabaseModule } from '#libs/database/src/index.js';
import { healthControllerFor, loggerParams } from '#libs/platform/src/index.js';
import { ProductionAuthzController } from './authz/authz.controller.js';
import { productionDatabase } from './production.database.js';

@Module({})
export class ProductionModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ProductionModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, 'production')),
        DatabaseModule.forApp(productionDatabase),
      ],
      controllers: [healthControllerFor(healthPattern('production')), ProductionAuthzController],
    };
  }
}
