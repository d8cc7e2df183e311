import { Inject, Injectable, type Type } from '@nestjs/common';
import { type ConsumedEvent, type ProjectionHandler, ProjectionConsumer } from '@toolport/messaging';
import type { PoolClient } from 'pg';
import { CatalogProjection } from './catalog-projection';

/**
 * One durable consumer per source stream (NATS 2.9 allows one filter subject per consumer):
 * `catalog-publisher-events`, `catalog-scanner-events`, `catalog-health-events` in
 * infra/nats/consumers.json. Each applies its stream in order into the same projection; the read
 * model does not depend on the order between streams (see read-model.migrations.ts). Nest needs a
 * class per consumer, so the three are made by one function and differ only in their name.
 */
function catalogConsumer(purpose: string): Type<ProjectionHandler> {
  @ProjectionConsumer(purpose)
  @Injectable()
  class CatalogStreamConsumer implements ProjectionHandler {
    constructor(@Inject(CatalogProjection) private readonly projection: CatalogProjection) {}
    handle(event: ConsumedEvent, tx: PoolClient): Promise<void> {
      return this.projection.handle(event, tx);
    }
    handleBatch(events: readonly ConsumedEvent[], tx: PoolClient): Promise<void> {
      return this.projection.handleBatch(events, tx);
    }
    afterCommit(events: readonly ConsumedEvent[]): void {
      this.projection.afterCommit(events);
    }
  }
  return CatalogStreamConsumer;
}

export const PublisherEventsConsumer = catalogConsumer('publisher-events');
export const ScannerEventsConsumer = catalogConsumer('scanner-events');
export const HealthEventsConsumer = catalogConsumer('health-events');
