import { createHash } from 'node:crypto';
import type { EventMetadata, EventRegistry } from '@toolport/contracts';
import type { Pool, PoolClient } from 'pg';
import { assertExpectedVersion, assertReadAllOptions, prepareAppend, type PreparedEvent, withVersions } from '../append-preparation';
import {
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type ReadAllOptions,
  type RecordedEvent,
  WrongExpectedVersionError,
} from '../event-store';
import { advisoryLockKey } from './advisory-lock';
import type { Migration } from './migrations';
import { assertSchemaName } from './schema-name';
import { withTransaction } from './transaction';

const STREAM_VERSION_CONSTRAINT = 'events_stream_version_unique';

/** The event store's tables, to run with a service's own migrations (`runMigrations`). */
export const eventStoreMigrations: Migration[] = [
  {
    id: 'event-store/0001-events',
    up: (schema) => `
      CREATE TABLE ${schema}.events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        stream_id text NOT NULL,
        stream_version integer NOT NULL CHECK (stream_version >= 1),
        event_id uuid NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_event_id_unique UNIQUE (event_id),
        CONSTRAINT ${STREAM_VERSION_CONSTRAINT} UNIQUE (stream_id, stream_version)
      )`,
  },
];

/**
 * The channel `append` NOTIFYs with the last appended global position, delivered at commit.
 * A valid unquoted identifier, so `LISTEN <channel>` works as is. Postgres rejects channel
 * names of 64 bytes or more, so a long schema name is shortened with a hash to stay distinct.
 */
export function eventsNotificationChannel(schema: string): string {
  assertSchemaName(schema);
  const channel = `${schema}_events`;
  if (channel.length <= 63) return channel;
  const hash = createHash('sha256').update(schema).digest('hex').slice(0, 8);
  return `${schema.slice(0, 46)}_${hash}_events`;
}

interface EventRow {
  global_position: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
}

export interface PostgresEventStoreOptions {
  pool: Pool;
  /** The service's schema; its tables come from `eventStoreMigrations`. */
  schema: string;
  /** Validates every event's data and metadata before anything is written. */
  registry: EventRegistry;
}

/**
 * Event store on one `events` table per service schema.
 *
 * Ordering: an identity value is taken at INSERT but becomes visible at COMMIT, so two
 * concurrent appends could commit out of position order, and a reader that already moved past
 * the later position would never see the earlier one (the relay would skip it). Every append
 * therefore takes a transaction-scoped advisory lock (one per schema) before taking positions
 * and holds it to commit: appends are serialised and commit in position order. Postgres
 * releases transaction locks only after the commit is visible to new snapshots (xact.c,
 * CommitTransaction: ProcArrayEndTransaction runs before the lock release), so the next
 * appender's positions are greater than anything a reader can have seen as missing.
 * append-ordering.int-spec.ts fails when this lock is removed.
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly registry: EventRegistry;
  private readonly table: string;
  private readonly lockKey: string;
  private readonly channel: string;

  constructor(options: PostgresEventStoreOptions) {
    const schema = assertSchemaName(options.schema);
    this.pool = options.pool;
    this.registry = options.registry;
    this.table = `${schema}.events`;
    this.lockKey = advisoryLockKey('events-append', schema);
    this.channel = eventsNotificationChannel(schema);
  }

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const prepared = prepareAppend(this.registry, streamId, events, options.expectedVersion, options.context);
    if (prepared.length === 0) return this.checkOnly(this.pool, streamId, options.expectedVersion);
    try {
      return await withTransaction(this.pool, (client) => this.write(client, streamId, prepared, options.expectedVersion));
    } catch (error) {
      // Mapped after the rollback has returned the connection, so this cannot wait on its own pool.
      throw await this.mapConflict(error, streamId, options.expectedVersion);
    }
  }

  /**
   * Appends inside the caller's transaction (the caller owns BEGIN/COMMIT), for writes that
   * must commit together with the caller's own. The append lock is held until the caller
   * commits or rolls back: keep the rest of that transaction short, since every other append
   * to this schema waits for it. NOTIFY is delivered at the caller's commit.
   */
  async appendInTransaction(
    client: PoolClient,
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const prepared = prepareAppend(this.registry, streamId, events, options.expectedVersion, options.context);
    if (prepared.length === 0) return this.checkOnly(client, streamId, options.expectedVersion);
    try {
      return await this.write(client, streamId, prepared, options.expectedVersion);
    } catch (error) {
      throw await this.mapConflict(error, streamId, options.expectedVersion);
    }
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    const result = await this.pool.query<EventRow>(
      `SELECT global_position, type, data, metadata, recorded_at FROM ${this.table} WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    );
    return result.rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    assertReadAllOptions(options);
    const result = await this.pool.query<EventRow>(
      `SELECT global_position, type, data, metadata, recorded_at FROM ${this.table}
       WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      [options.after, options.limit],
    );
    return result.rows.map(toRecordedEvent);
  }

  private async write(
    client: PoolClient,
    streamId: string,
    prepared: readonly PreparedEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    const lock = await client.query<{ xid: string }>('SELECT pg_advisory_xact_lock($1::bigint), pg_current_xact_id()::text AS xid', [
      this.lockKey,
    ]);
    // Read after the lock, in a new statement (so a new snapshot): it sees every earlier append.
    const stream = await client.query<{ xid: string; version: number }>(
      `SELECT pg_current_xact_id()::text AS xid, coalesce(max(stream_version), 0) AS version FROM ${this.table} WHERE stream_id = $1`,
      [streamId],
    );
    // Outside BEGIN each statement is its own transaction: the lock would already be released and
    // the ordering guarantee silently lost. Same transaction id = same transaction. (Assigning an
    // id costs nothing extra: the INSERT below needs one anyway.)
    if (stream.rows[0]!.xid !== lock.rows[0]!.xid) {
      throw new Error('appendInTransaction needs an open transaction on the client: call BEGIN first');
    }
    const current = stream.rows[0]!.version;
    assertExpectedVersion(streamId, expectedVersion, current);
    const toWrite = withVersions(prepared, current);
    const inserted = await client.query<{ global_position: string; stream_version: number; recorded_at: Date }>(
      `INSERT INTO ${this.table} (stream_id, stream_version, event_id, type, data, metadata)
       SELECT $1, e.stream_version, e.event_id, e.type, e.data, e.metadata
       FROM unnest($2::int[], $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[])
         WITH ORDINALITY AS e(stream_version, event_id, type, data, metadata, n)
       ORDER BY e.n
       RETURNING global_position, stream_version, recorded_at`,
      [
        streamId,
        toWrite.map((e) => e.metadata.streamVersion),
        toWrite.map((e) => e.metadata.eventId),
        toWrite.map((e) => e.type),
        toWrite.map((e) => JSON.stringify(e.data)),
        toWrite.map((e) => JSON.stringify(e.metadata)),
      ],
    );
    const byVersion = new Map(inserted.rows.map((row) => [row.stream_version, row]));
    const recorded = toWrite.map((event): RecordedEvent => {
      const row = byVersion.get(event.metadata.streamVersion)!;
      return { ...event, globalPosition: Number(row.global_position), recordedAt: row.recorded_at.toISOString() };
    });
    const last = recorded[recorded.length - 1]!;
    await client.query('SELECT pg_notify($1, $2)', [this.channel, String(last.globalPosition)]);
    return { nextExpectedVersion: last.metadata.streamVersion, lastGlobalPosition: last.globalPosition, events: recorded };
  }

  private async checkOnly(queryable: Pool | PoolClient, streamId: string, expectedVersion: ExpectedVersion): Promise<AppendResult> {
    const current = await this.currentStream(queryable, streamId);
    assertExpectedVersion(streamId, expectedVersion, current.version);
    return { nextExpectedVersion: current.version, lastGlobalPosition: current.position, events: [] };
  }

  private async currentStream(queryable: Pool | PoolClient, streamId: string): Promise<{ version: number; position: number }> {
    const result = await queryable.query<{ stream_version: number; global_position: string }>(
      `SELECT stream_version, global_position FROM ${this.table} WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1`,
      [streamId],
    );
    const row = result.rows[0];
    return row ? { version: row.stream_version, position: Number(row.global_position) } : { version: 0, position: 0 };
  }

  /**
   * The version check under the lock catches every conflict between appends made through this
   * class; the unique index catches a writer that bypassed the lock. Its transaction is aborted,
   * so the actual version is read on another pooled connection (for appendInTransaction that
   * waits if the caller's pool is exhausted; this path is a safety net, not the usual conflict).
   */
  private async mapConflict(error: unknown, streamId: string, expectedVersion: ExpectedVersion): Promise<unknown> {
    const pgError = error as { code?: unknown; constraint?: unknown };
    if (pgError.code !== '23505' || pgError.constraint !== STREAM_VERSION_CONSTRAINT) return error;
    const actual = (await this.currentStream(this.pool, streamId)).version;
    return new WrongExpectedVersionError(streamId, expectedVersion, actual);
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    globalPosition: Number(row.global_position),
    recordedAt: row.recorded_at.toISOString(),
  };
}
