import { type DynamicModule, Module } from '@nestjs/common';
import { createLogger } from '@toolport/observability';
import { type ServiceRuntime, serviceModule } from '@toolport/platform';
import type { ScannerConfig } from './config';
import { ReviewsModule } from './reviews/reviews.module';
import type { ScanEngine } from './scan-engine/scan-engine';
import { createScanEngine } from './scan-engine/create-scan-engine';
import { ScansModule } from './scans/scans.module';

/** Owns the scan and review aggregates. */
@Module({})
export class ScannerModule {}

export interface ScannerAppOptions {
  /**
   * The scan engine (default: createScanEngine from the settings: packages fetched, unpacked and
   * analysed unless TOOLPORT_SCANNER_FETCH_PACKAGES=false). Tests pass their own.
   */
  engine?: ScanEngine;
}

export function scannerAppModule(runtime: ServiceRuntime, config: ScannerConfig, options: ScannerAppOptions = {}): DynamicModule {
  const scans = ScansModule.forRoot({ config, engine: options.engine ?? createScanEngine(config.packages, createLogger({ service: runtime.config.service, level: runtime.config.logLevel })) });
  return serviceModule(ScannerModule, runtime, { relay: true, imports: [scans, ReviewsModule.forRoot(scans)] });
}
