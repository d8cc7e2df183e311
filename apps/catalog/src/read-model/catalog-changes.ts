import { createHash } from 'node:crypto';
import { Client, type Pool } from 'pg';
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
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO ${schema}.changes (kind, server_name, version, at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) RETURNING id`,
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
}

/** Stored changes after `afterId`, oldest first (a feed resuming from Last-Event-ID). */
export async function changesSince(db: Db, schema: string, afterId: number, limit = 1000): Promise<CatalogChangeRecord[]> {
  const { rows } = await db.query<ChangeRow>(`SELECT id, kind, server_name, version, at FROM ${schema}.changes WHERE id > $1 ORDER BY id LIMIT $2`, [afterId, limit]);
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, serverName: r.server_name, version: r.version, at: isoRequired(r.at) }));
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
 * commit, and this reads the new rows and emits them. It works the same with several catalog
 * replicas: each hears every replica's commits. After a lost connection it reconnects and
 * catches up from the last id it emitted, so subscribers miss nothing.
 */
export class CatalogChanges {
  private readonly listeners = new Set<CatalogChangeListener>();
  private lastId = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private pumping: Promise<void> = Promise.resolve();
  private wakeStop: () => void = () => undefined;

  constructor(private readonly options: CatalogChangesOptions) {}

  /** Starts listening (fails when PostgreSQL cannot be reached); changes committed from now on are emitted. */
  async start(): Promise<void> {
    if (this.running) return;
    const { rows } = await this.options.pool.query<{ id: string }>(`SELECT COALESCE(MAX(id), 0) AS id FROM ${this.options.schema}.changes`);
    this.lastId = Number(rows[0]!.id);
    const first = await this.listen();
    this.running = true;
    this.loop = this.run(first);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeStop();
    await this.loop;
    await this.pumping;
  }

  /** Calls `listener` for every change committed after now; returns the unsubscribe function. */
  subscribe(listener: CatalogChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The id of the last change emitted (0: none since start and none stored). */
  latestId(): number {
    return this.lastId;
  }

  /** Stored changes after `afterId`, oldest first. */
  since(afterId: number, limit = 1000): Promise<CatalogChangeRecord[]> {
    return changesSince(this.options.pool, this.options.schema, afterId, limit);
  }

  /** A connection LISTENing on the channel, and a promise settled when it fails, ends or stop() is called. */
  private async listen(): Promise<{ client: Client; ended: Promise<void> }> {
    const client = new Client(this.options.pool.options);
    const ended = new Promise<void>((resolve) => {
      this.wakeStop = resolve;
      // An 'error' event without a listener would crash the process (node-postgres, Client events).
      client.on('error', (error) => {
        this.options.onError?.(error);
        resolve();
      });
      client.on('end', () => resolve());
    });
    client.on('notification', () => this.pump());
    try {
      await client.connect();
      await client.query(`LISTEN "${changesChannel(this.options.schema)}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    // Whatever committed while no connection listened.
    this.pump();
    return { client, ended };
  }

  private async run(first: { client: Client; ended: Promise<void> }): Promise<void> {
    let current: { client: Client; ended: Promise<void> } | null = first;
    while (this.running) {
      if (current) {
        await current.ended;
        await current.client.end().catch(() => undefined);
        current = null;
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.retryDelayMs ?? 1000);
        this.wakeStop = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (!this.running) break;
      try {
        current = await this.listen();
      } catch (error) {
        this.options.onError?.(error);
      }
    }
  }

  /** One catch-up at a time, so changes are emitted once each and in order. */
  private pump(): void {
    this.pumping = this.pumping.then(() => this.emitNew()).catch((error: unknown) => this.options.onError?.(error));
  }

  private async emitNew(): Promise<void> {
    for (;;) {
      const batch = await this.since(this.lastId);
      for (const change of batch) {
        this.lastId = change.id;
        for (const listener of this.listeners) {
          try {
            listener(change);
          } catch (error) {
            this.options.onError?.(error);
          }
        }
      }
      if (batch.length < 1000) return;
    }
  }
}
