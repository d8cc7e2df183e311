import { Module } from '@nestjs/common';
import { SERVICE_RUNTIME, type ServiceRuntime } from '@toolport/platform';
import { PublisherEventsConsumer, ScannerReviewsConsumer } from './targets.consumers';
import { TargetsProjection } from './targets.projection';

/** The targets read model: what to probe and what to compare the live tools with. */
@Module({
  providers: [
    { provide: TargetsProjection, inject: [SERVICE_RUNTIME], useFactory: (runtime: ServiceRuntime) => new TargetsProjection(runtime.schema) },
    PublisherEventsConsumer,
    ScannerReviewsConsumer,
  ],
})
export class TargetsModule {}
