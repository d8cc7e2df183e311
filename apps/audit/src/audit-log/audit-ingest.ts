import type { Logger } from '@toolport/observability';
import type { PoolClient } from 'pg';
import { type AuditedEvent, auditRecordOf } from './audit-record-of';
import type { AuditRecordStore } from './audit-record-store';
import { auditMetrics } from './audit-metrics';

/**
 * Turns one consumed event into one audit record, inside the projection's transaction (the record
 * and the consumer checkpoint commit together). Idempotent by event id: an event seen before,
 * through a redelivery or a re-publish under a new stream sequence, adds nothing.
 */
export class AuditIngest {
  constructor(
    private readonly records: AuditRecordStore,
    private readonly logger: Logger,
  ) {}

  async record(event: AuditedEvent, tx: PoolClient): Promise<void> {
    const appended = await this.records.appendInTransaction(tx, auditRecordOf(event));
    auditMetrics.appended().inc({ outcome: appended ? 'recorded' : 'duplicate' });
    if (!appended) this.logger.info({ eventId: event.metadata.eventId, type: event.type }, 'event already in the audit log; nothing added');
  }
}
