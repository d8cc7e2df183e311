import { Inject, Injectable } from '@nestjs/common';
import { type ConsumedEvent, type ProjectionHandler, ProjectionConsumer } from '@toolport/messaging';
import type { PoolClient } from 'pg';
import { TargetsProjection } from './targets.projection';

/**
 * One durable consumer per source stream (NATS 2.9: one filter subject per consumer):
 * `health-publisher-events` (publisher.server.>) and `health-scanner-reviews` (scanner.review.>)
 * in infra/nats/consumers.json. The two write different tables, so their relative order does not matter.
 */
@ProjectionConsumer('publisher-events')
@Injectable()
export class PublisherEventsConsumer implements ProjectionHandler {
  constructor(@Inject(TargetsProjection) private readonly projection: TargetsProjection) {}
  handle(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    return this.projection.handle(event, tx);
  }
}

@ProjectionConsumer('scanner-reviews')
@Injectable()
export class ScannerReviewsConsumer implements ProjectionHandler {
  constructor(@Inject(TargetsProjection) private readonly projection: TargetsProjection) {}
  handle(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    return this.projection.handle(event, tx);
  }
}
