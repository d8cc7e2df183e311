import { type DynamicModule, Module } from '@nestjs/common';
import { type ServiceRuntime, serviceModule } from '@toolport/platform';

/** Read models built only from events: what agents and people query. */
@Module({})
export class CatalogModule {}

export function catalogAppModule(runtime: ServiceRuntime): DynamicModule {
  return serviceModule(CatalogModule, runtime, { relay: false, imports: [] });
}
