import { Inject, Injectable } from '@nestjs/common';
import { type ConsumedEvent, ProjectionConsumer, type ProjectionHandler } from '@toolport/messaging';
import type { PoolClient } from 'pg';
import { AuditIngest } from './audit-ingest';

/*
 * One durable consumer per source stream (NATS 2.9 allows one filter subject per consumer), all
 * `halt` projections: the log's order must follow each stream's order, so a record that cannot
 * be written stops its stream rather than be overtaken. A stream added later gets a consumer in
 * infra/nats/consumers.json and a class here; its event types need nothing (generic summary).
 */

@ProjectionConsumer('publisher-events')
@Injectable()
export class PublisherEventsAuditConsumer implements ProjectionHandler {
  constructor(@Inject(AuditIngest) private readonly ingest: AuditIngest) {}
  handle(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    return this.ingest.record(event, tx);
  }
}

@ProjectionConsumer('scanner-events')
@Injectable()
export class ScannerEventsAuditConsumer implements ProjectionHandler {
  constructor(@Inject(AuditIngest) private readonly ingest: AuditIngest) {}
  handle(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    return this.ingest.record(event, tx);
  }
}

@ProjectionConsumer('health-events')
@Injectable()
export class HealthEventsAuditConsumer implements ProjectionHandler {
  constructor(@Inject(AuditIngest) private readonly ingest: AuditIngest) {}
  handle(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    return this.ingest.record(event, tx);
  }
}

/** The catalog's stream: it owns no aggregate, only the failed-authentication bursts it observes. */
@ProjectionConsumer('catalog-events')
@Injectable()
export class CatalogEventsAuditConsumer implements ProjectionHandler {
  constructor(@Inject(AuditIngest) private readonly ingest: AuditIngest) {}
  handle(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    return this.ingest.record(event, tx);
  }
}

/**
 * The audit service's own stream, filtered to `audit.auth.>` (its failed-authentication
 * bursts): its TreeHeadSigned events are about the log itself, and recording them would grow the
 * log by one record per head, which makes the next head.
 */
@ProjectionConsumer('audit-events')
@Injectable()
export class AuditEventsAuditConsumer implements ProjectionHandler {
  constructor(@Inject(AuditIngest) private readonly ingest: AuditIngest) {}
  handle(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    return this.ingest.record(event, tx);
  }
}

/**
 * The audit service's own stream, filtered to `audit.consumer.>`: skips and resumes of its own
 * halted projections (ConsumerMessageSkipped, ConsumerResumed). A second consumer because NATS
 * 2.9 takes one filter subject, and widening the first to `audit.>` would deliver TreeHeadSigned.
 */
@ProjectionConsumer('audit-consumer-actions')
@Injectable()
export class AuditConsumerActionsAuditConsumer implements ProjectionHandler {
  constructor(@Inject(AuditIngest) private readonly ingest: AuditIngest) {}
  handle(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    return this.ingest.record(event, tx);
  }
}
