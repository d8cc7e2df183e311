import type { Actor } from '@toolport/contracts';
import { canonicalJson } from '../transparency-log/canonical-json';
import type { AuditRecord } from '../transparency-log/log-format';

/** The columns a record is read back from (`payload` as stored canonical JSON text). */
export const RECORD_COLUMNS =
  'seq, event_id, type, stream_id, actor_kind, actor_id, occurred_at, server_name, version, summary, payload_digest, payload, leaf_hash';

export interface AuditRecordRow {
  seq: string;
  event_id: string;
  type: string;
  stream_id: string;
  actor_kind: string;
  actor_id: string;
  occurred_at: string;
  server_name: string | null;
  version: string | null;
  summary: string;
  payload_digest: string;
  payload: string;
  leaf_hash: Buffer;
}

/** The record as stored, fields exactly as they went into its leaf. */
export function recordOfRow(row: AuditRecordRow): AuditRecord {
  return {
    seq: Number(row.seq),
    eventId: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    actor: { kind: row.actor_kind as Actor['kind'], id: row.actor_id },
    occurredAt: row.occurred_at,
    subject: row.server_name === null ? null : { serverName: row.server_name, version: row.version },
    summary: row.summary,
    payloadDigest: row.payload_digest,
    payload: JSON.parse(row.payload) as unknown,
  };
}

/**
 * A record flattened into its columns, in RECORD_COLUMNS order without `leaf_hash` (nested fields
 * flattened, the payload as its canonical JSON text): what is stored, and what the CSV export writes.
 */
export function recordValues(record: AuditRecord): [number, string, string, string, string, string, string, string | null, string | null, string, string, string] {
  return [
    record.seq,
    record.eventId,
    record.type,
    record.streamId,
    record.actor.kind,
    record.actor.id,
    record.occurredAt,
    record.subject?.serverName ?? null,
    record.subject?.version ?? null,
    record.summary,
    record.payloadDigest,
    canonicalJson(record.payload),
  ];
}
