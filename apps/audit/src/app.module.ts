import { type DynamicModule, Module } from '@nestjs/common';
import { type ServiceRuntime, serviceModule } from '@toolport/platform';

/** Owns the hash-chained audit log of every event. */
@Module({})
export class AuditModule {}

export function auditAppModule(runtime: ServiceRuntime): DynamicModule {
  return serviceModule(AuditModule, runtime, { relay: false, imports: [] });
}
