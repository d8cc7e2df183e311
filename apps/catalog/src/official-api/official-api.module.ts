import { Module } from '@nestjs/common';
import { SERVICE_RUNTIME, type ServiceRuntime } from '@toolport/platform';
import { ServersController } from './servers.controller';
import { ServersRepository } from './servers.repository';

/** `/v0(.1)/servers…` over the read model. Needs CATALOG_VISIBILITY (VisibilityModule). */
@Module({
  controllers: [ServersController],
  providers: [{ provide: ServersRepository, inject: [SERVICE_RUNTIME], useFactory: (runtime: ServiceRuntime) => new ServersRepository(runtime.pool, runtime.schema) }],
  exports: [ServersRepository],
})
export class OfficialApiModule {}
