import { Module } from '@nestjs/common';

/** The HTTP routes of the fabrication capability; each calls the fabrication service over the transport. */
@Module({
  controllers: [],
  providers: [],
})
export class FabricationHttpModule {}
