import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { type AppConfig, AppConfigModule } from '#libs/config/src/index.js';
import { healthPattern, QUEUES } from '#libs/contracts/src/index.js';
import { DatabaseModule } from '#libs/database/src/index.js';
import { healthControllerFor, loggerParams, QueuesModule, TransportClientsModule } from '#libs/platform/src/index.js';
import { CommonsAuthzController } from './authz/authz.controller.js';
import { commonsDatabase } from './commons.database.js';
import { BuildReportsProcessor } from './designs/build-reports.processor.js';
import { DesignQueries } from './designs/design-queries.js';
import { DESIGNS_REPOSITORY } from './designs/designs.repository.js';
import { DesignsHandlers } from './designs/designs.handlers.js';
import { TypeormDesignsRepository } from './designs/typeorm-designs.repository.js';
import { AddMaintainerUseCase } from './designs/usecases/add-maintainer/add-maintainer.usecase.js';
import { EndorseVersionUseCase } from './designs/usecases/endorse-version/endorse-version.usecase.js';
import { ForkDesignUseCase } from './designs/usecases/fork-design/fork-design.usecase.js';
import { ImportOkhUseCase } from './designs/usecases/import-okh/import-okh.usecase.js';
import { PublishDesignUseCase } from './designs/usecases/publish-design/publish-design.usecase.js';
import { PublishVersionUseCase } from './designs/usecases/publish-version/publish-version.usecase.js';
import { ReportBuildUseCase } from './designs/usecases/report-build/report-build.usecase.js';
import { SearchDesignsUseCase } from './designs/usecases/search-designs/search-designs.usecase.js';

@Module({})
export class CommonsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CommonsModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, 'commons')),
        DatabaseModule.forApp(commonsDatabase),
        // Fabrication decides who operates a fab unit (build reports); council who admins a council (endorsements).
        TransportClientsModule.register(config, ['fabrication', 'council']),
        QueuesModule.forRoot(config),
        BullModule.registerQueue({ name: QUEUES.buildReports }),
      ],
      controllers: [healthControllerFor(healthPattern('commons')), CommonsAuthzController, DesignsHandlers],
      providers: [
        {
          provide: DESIGNS_REPOSITORY,
          inject: [getDataSourceToken()],
          useFactory: (dataSource: DataSource) => new TypeormDesignsRepository(dataSource),
        },
        DesignQueries,
        PublishDesignUseCase,
        PublishVersionUseCase,
        ForkDesignUseCase,
        ImportOkhUseCase,
        SearchDesignsUseCase,
        ReportBuildUseCase,
        EndorseVersionUseCase,
        AddMaintainerUseCase,
        BuildReportsProcessor,
      ],
    };
  }
}
