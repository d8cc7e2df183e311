import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { recordLeafHash } from '../transparency-log/canonical-json';
import type { AuditRecord } from '../transparency-log/log-format';
import { type AuditRecordRow, RECORD_COLUMNS, recordOfRow, recordValues } from './audit-record-row';
import type { UnplacedRecord } from './audit-record-of';
import { asAuditWriter, withAuditWriter } from './audit-writer-role';
import { filterConditions, type RecordFilter } from './record-filter';

/** A record read with the leaf hash stored for it at append. */
export interface StoredRecord {
  record: AuditRecord;
  leafHash: Buffer;
}

/**
 * The `audit_records` table: appends in one total order and reads. Every statement runs as the
 * writer role (audit-writer-role.ts).
 */
export class AuditRecordStore {
  private readonly table: string;
  private readonly appendLockKey: string;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    this.table = `${schema}.audit_records`;
    // Same derivation as the event store's append lock, with its own purpose (a 64-bit key as a decimal literal).
    this.appendLockKey = createHash('sha256').update(`toolport:audit-append:${schema}`).digest().readBigInt64BE(0).toString();
  }

  /**
   * Appends the record as seq = size + 1 inside the caller's transaction, or does nothing when the
   * event is recorded already (a redelivery, a re-published event): returns null then.
   *
   * Appends from the three source consumers run concurrently and must form one gapless sequence
   * that readers see in order. A transaction-scoped advisory lock, held until commit, serialises
   * them: the next appender reads max(seq) only after the previous one committed (Postgres
   * releases transaction locks after the commit is visible, see PostgresEventStore), so seq n + 1
   * is never visible before seq n and a rolled-back append leaves no gap. The lock, not a counter
   * row, because the writer role may not UPDATE anything. The unique event_id constraint is the
   * backstop for the duplicate check made under the lock.
   */
  async appendInTransaction(tx: PoolClient, fields: UnplacedRecord): Promise<AuditRecord | null> {
    return asAuditWriter(tx, this.schema, async () => {
      await tx.query(`SELECT pg_advisory_xact_lock(${this.appendLockKey})`);
      const { rows } = await tx.query<{ size: string; seen: boolean }>(
        `SELECT (SELECT coalesce(max(seq), 0) FROM ${this.table}) AS size, EXISTS (SELECT 1 FROM ${this.table} WHERE event_id = $1) AS seen`,
        [fields.eventId],
      );
      if (rows[0]!.seen) return null;
      const record: AuditRecord = { seq: Number(rows[0]!.size) + 1, ...fields };
      await tx.query(
        `INSERT INTO ${this.table} (seq, event_id, type, stream_id, actor_kind, actor_id, occurred_at, occurred_at_ts, server_name, version, summary, payload_digest, payload, leaf_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $14, $8, $9, $10, $11, $12, $13)`,
        [
          ...recordValues(record),
          recordLeafHash(record),
          new Date(record.occurredAt),
        ],
      );
      return record;
    });
  }

  async size(): Promise<number> {
    const rows = await withAuditWriter(this.pool, this.schema, async (tx) => (await tx.query<{ size: string }>(`SELECT coalesce(max(seq), 0) AS size FROM ${this.table}`)).rows);
    return Number(rows[0]!.size);
  }

  async get(seq: number): Promise<StoredRecord | null> {
    const rows = await withAuditWriter(this.pool, this.schema, async (tx) => (await tx.query<AuditRecordRow>(`SELECT ${RECORD_COLUMNS} FROM ${this.table} WHERE seq = $1`, [seq])).rows);
    return rows[0] ? { record: recordOfRow(rows[0]), leafHash: rows[0].leaf_hash } : null;
  }

  /** Records with seq in (after, upTo], in seq order, at most `limit`. */
  async range(after: number, upTo: number, limit: number): Promise<StoredRecord[]> {
    const rows = await withAuditWriter(this.pool, this.schema, async (tx) =>
      (await tx.query<AuditRecordRow>(`SELECT ${RECORD_COLUMNS} FROM ${this.table} WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`, [after, upTo, limit])).rows,
    );
    return rows.map((row) => ({ record: recordOfRow(row), leafHash: row.leaf_hash }));
  }

  /** Records matching `filter` with seq in (after, upTo], in seq order, at most `limit`: one keyset page. */
  async page(filter: RecordFilter, after: number, upTo: number, limit: number): Promise<AuditRecord[]> {
    const { conditions, parameters } = filterConditions(filter, 4);
    const where = ['seq > $1', 'seq <= $2', ...conditions].join(' AND ');
    const rows = await withAuditWriter(this.pool, this.schema, async (tx) =>
      (await tx.query<AuditRecordRow>(`SELECT ${RECORD_COLUMNS} FROM ${this.table} WHERE ${where} ORDER BY seq LIMIT $3`, [after, upTo, limit, ...parameters])).rows,
    );
    return rows.map(recordOfRow);
  }

  /** Stored leaf hashes of seq in (after, after + limit], in order: what the trees are rebuilt from. */
  async leafHashesAfter(after: number, limit: number): Promise<Buffer[]> {
    const rows = await withAuditWriter(this.pool, this.schema, async (tx) =>
      (await tx.query<{ seq: string; leaf_hash: Buffer }>(`SELECT seq, leaf_hash FROM ${this.table} WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, limit])).rows,
    );
    rows.forEach((row, i) => {
      // Seq is gapless by construction (appendInTransaction); a gap means rows were removed.
      if (Number(row.seq) !== after + i + 1) throw new Error(`audit log has a gap: expected seq ${after + i + 1}, found ${row.seq}`);
    });
    return rows.map((row) => row.leaf_hash);
  }
}
