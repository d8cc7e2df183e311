import { type DynamicModule, Module } from '@nestjs/common';
import { SERVICE_RUNTIME, type ServiceRuntime } from '@toolport/platform';
import { ReviewQueue } from './review-queue.query';
import { ReviewsController } from './reviews.controller';

/** The review API; takes the scans module (its commands and versions) by reference. */
@Module({})
export class ReviewsModule {
  static forRoot(scans: DynamicModule): DynamicModule {
    return {
      module: ReviewsModule,
      imports: [scans],
      controllers: [ReviewsController],
      providers: [{ provide: ReviewQueue, inject: [SERVICE_RUNTIME], useFactory: (runtime: ServiceRuntime) => new ReviewQueue(runtime.pool, runtime.schema) }],
    };
  }
}
