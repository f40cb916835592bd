import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { AppConfig } from '#libs/config/src/index.js';
import { QUEUES } from '#libs/contracts/src/index.js';
import { QueuesModule, serviceFoundation } from '#libs/platform/src/index.js';
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
    // Fabrication decides who operates a fab unit (build reports); council who admins a council (endorsements).
    const foundation = serviceFoundation(config, 'commons', commonsDatabase, ['fabrication', 'council']);
    return {
      module: CommonsModule,
      imports: [
        ...foundation.imports,
        QueuesModule.forRoot(config),
        BullModule.registerQueue({ name: QUEUES.buildReports }),
      ],
      controllers: [foundation.health, CommonsAuthzController, DesignsHandlers],
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
