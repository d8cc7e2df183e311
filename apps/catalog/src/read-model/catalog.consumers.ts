import { Inject, Injectable } from '@nestjs/common';
import { type ConsumedEvent, type ProjectionHandler, ProjectionConsumer } from '@toolport/messaging';
import type { PoolClient } from 'pg';
import { CatalogProjection } from './catalog-projection';

/**
 * One durable consumer per source stream (NATS 2.9 allows one filter subject per consumer):
 * `catalog-publisher-events`, `catalog-scanner-events`, `catalog-health-events` in
 * infra/nats/consumers.json. Each applies its stream in order; the read model does not depend
 * on the order between streams (see read-model.migrations.ts).
 */
@ProjectionConsumer('publisher-events')
@Injectable()
export class PublisherEventsConsumer implements ProjectionHandler {
  constructor(@Inject(CatalogProjection) private readonly projection: CatalogProjection) {}
  handle(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    return this.projection.handle(event, tx);
  }
}

@ProjectionConsumer('scanner-events')
@Injectable()
export class ScannerEventsConsumer implements ProjectionHandler {
  constructor(@Inject(CatalogProjection) private readonly projection: CatalogProjection) {}
  handle(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    return this.projection.handle(event, tx);
  }
}

@ProjectionConsumer('health-events')
@Injectable()
export class HealthEventsConsumer implements ProjectionHandler {
  constructor(@Inject(CatalogProjection) private readonly projection: CatalogProjection) {}
  handle(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    return this.projection.handle(event, tx);
  }
}
