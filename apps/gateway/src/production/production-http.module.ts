import { Module } from '@nestjs/common';

/** The HTTP routes of the production capability; each calls the production service over the transport. */
@Module({
  controllers: [],
  providers: [],
})
export class ProductionHttpModule {}
