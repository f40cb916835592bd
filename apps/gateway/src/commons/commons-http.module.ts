import { Module } from '@nestjs/common';

/** The HTTP routes of the commons capability; each calls the commons service over the transport. */
@Module({
  controllers: [],
  providers: [],
})
export class CommonsHttpModule {}
