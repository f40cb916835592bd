import { Module } from '@nestjs/common';

/** The HTTP routes of the council capability; each calls the council service over the transport. */
@Module({
  controllers: [],
  providers: [],
})
export class CouncilHttpModule {}
