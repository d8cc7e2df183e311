import { type DynamicModule, Module } from '@nestjs/common';
import { type ServiceRuntime, serviceModule } from '@toolport/platform';

/** Owns the scan and review aggregates. */
@Module({})
export class ScannerModule {}

export function scannerAppModule(runtime: ServiceRuntime): DynamicModule {
  return serviceModule(ScannerModule, runtime, { relay: true, imports: [] });
}
