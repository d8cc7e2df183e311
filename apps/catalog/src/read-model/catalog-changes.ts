import { createHash } from 'node:crypto';
import { CommittedLog } from '@toolport/platform';
import type { Pool } from 'pg';
import type { CatalogChange, CatalogChangeKind, CatalogChangeRecord } from './catalog-change';
import { type Db, isoRequired } from './db';

/** NOTIFY channel telling every catalog replica that `changes` grew (payload: the last id). */
export const changesChannel = (schema: string): string => `${schema}_catalog_changes`;

const changesLockKey = (schema: string): string => createHash('sha256').update(`toolport:catalog-changes:${schema}`).digest().readBigInt64BE(0).toString();

/**
 * Stores changes in `changes` inside the projection's transaction and NOTIFYs at commit.
 * The three projections (one per stream) commit concurrently; a bigserial id is taken at
 * INSERT but becomes visible at COMMIT, so without ordering a reader that saw id 11 could later
 * miss id 10 committing behind it (the gap the event store avoids the same way). The
 * transaction-scoped advisory lock makes ids commit in id order; it is taken last, after the
 * projection's other work, so it is held only for this insert and the commit.
 */
export async function recordChanges(tx: Db, schema: string, changes: readonly CatalogChange[]): Promise<void> {
  if (changes.length === 0) return;
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [changesLockKey(schema)]);
  // approved_once: after this transaction's own approval writes (the projection ran them first).
  // A change without a version (no latest left) counts when any version of the server was approved.
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO ${schema}.changes (kind, server_name, version, at, approved_once)
     SELECT c.kind, c.server_name, c.version, c.at, EXISTS (
              SELECT 1 FROM ${schema}.version_security v
               WHERE v.server_name = c.server_name AND (c.version IS NULL OR v.version = c.version) AND v.approval IN ('approved', 'revoked'))
       FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) WITH ORDINALITY AS c(kind, server_name, version, at, n)
      ORDER BY c.n RETURNING id`,
    [changes.map((c) => c.kind), changes.map((c) => c.serverName), changes.map((c) => c.version), changes.map((c) => c.at)],
  );
  await tx.query('SELECT pg_notify($1, $2)', [changesChannel(schema), rows[rows.length - 1]!.id]);
}

interface ChangeRow {
  id: string;
  kind: CatalogChangeKind;
  server_name: string;
  version: string | null;
  at: Date;
  approved_once: boolean;
}

/** Stored changes after `afterId`, oldest first (a feed resuming from Last-Event-ID). */
export async function changesSince(db: Db, schema: string, afterId: number, limit = 1000): Promise<CatalogChangeRecord[]> {
  const { rows } = await db.query<ChangeRow>(`SELECT id, kind, server_name, version, at, approved_once FROM ${schema}.changes WHERE id > $1 ORDER BY id LIMIT $2`, [afterId, limit]);
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, serverName: r.server_name, version: r.version, at: isoRequired(r.at), approvedOnce: r.approved_once }));
}

export type CatalogChangeListener = (change: CatalogChangeRecord) => void;

export interface CatalogChangesOptions {
  pool: Pool;
  schema: string;
  /** Pause before reconnecting after the listening connection failed (default 1000 ms). */
  retryDelayMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Catalog changes as they are committed, in id order, to in-process subscribers (the SSE feed).
 * Emitting from the projection itself would announce a change before its transaction commits
 * (or when it rolls back); instead the projection NOTIFYs, which PostgreSQL delivers only at
 * commit, and the platform's CommittedLog reads the new rows and emits them. It works the same
 * with several catalog replicas: each hears every replica's commits. After a lost connection it
 * reconnects and catches up from the last id it emitted, so subscribers miss nothing.
 */
export class CatalogChanges extends CommittedLog<CatalogChangeRecord> {
  constructor(options: CatalogChangesOptions) {
    const { pool, schema } = options;
    super({
      pool,
      channel: changesChannel(schema),
      since: (afterId, limit) => changesSince(pool, schema, afterId, limit),
      latestId: async () => Number((await pool.query<{ id: string }>(`SELECT COALESCE(MAX(id), 0) AS id FROM ${schema}.changes`)).rows[0]!.id),
      ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }
}
