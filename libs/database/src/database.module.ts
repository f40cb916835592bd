import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '#libs/config/src/index.js';
import { type AppDatabaseDefinition, dataSourceOptions } from './app-database.js';

/** The app's own DataSource on its own schema. Migrations ran before the app started. */
@Module({})
export class DatabaseModule {
  static forApp(def: AppDatabaseDefinition): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => dataSourceOptions(def, config.databaseUrl, config.dbPoolSize),
        }),
        TypeOrmModule.forFeature(def.entities),
      ],
      exports: [TypeOrmModule],
    };
  }
}
