import { type DynamicModule, Module } from '@nestjs/common';
import { type ServiceRuntime, serviceModule } from '@toolport/platform';

/** Owns endpoint health: probes, status changes, tool drift. */
@Module({})
export class HealthModule {}

export function healthAppModule(runtime: ServiceRuntime): DynamicModule {
  return serviceModule(HealthModule, runtime, { relay: true, imports: [] });
}
