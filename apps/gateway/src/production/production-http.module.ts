import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { BullBoard, BullBoardMiddleware } from './bull-board.js';
import { FabUnitAutomationController } from './fab-unit-automation.controller.js';
import { FabUnitJobsController } from './fab-unit-jobs.controller.js';
import { JobsController } from './jobs.controller.js';
import { ProductionRequestsController } from './production-requests.controller.js';

/** The HTTP routes of the production capability; each calls the production service over the transport. Bull Board at /admin/queues. */
@Module({
  controllers: [ProductionRequestsController, JobsController, FabUnitJobsController, FabUnitAutomationController],
  providers: [BullBoard, BullBoardMiddleware],
})
export class ProductionHttpModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(BullBoardMiddleware)
      .forRoutes({ path: 'admin/queues', method: RequestMethod.ALL }, { path: 'admin/queues/{*path}', method: RequestMethod.ALL });
  }
}
