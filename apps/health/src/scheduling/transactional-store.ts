import type { EventMetadata } from '@toolport/contracts';
import type { AppendOptions, AppendResult, EventStore, NewEvent, PostgresEventStore, ReadAllOptions, RecordedEvent } from '@toolport/event-store';
import type { PoolClient } from 'pg';

/**
 * The event store seen through one open transaction: `handle()` reads the stream and appends on
 * the same connection. Reading through the pool instead would take a second connection per
 * probe while the first is held, and with as many probes at once as connections in the pool,
 * every probe would wait for a connection no one gives back.
 */
export function transactionalStore(store: PostgresEventStore, tx: PoolClient, schema: string): EventStore {
  return {
    append: (streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> => store.appendInTransaction(tx, streamId, events, options),
    async readStream(streamId: string): Promise<RecordedEvent[]> {
      const { rows } = await tx.query<{ global_position: string; type: string; data: unknown; metadata: EventMetadata; recorded_at: Date }>(
        `SELECT global_position, type, data, metadata, recorded_at FROM ${schema}.events WHERE stream_id = $1 ORDER BY stream_version`,
        [streamId],
      );
      return rows.map((r) => ({ type: r.type, data: r.data, metadata: r.metadata, globalPosition: Number(r.global_position), recordedAt: r.recorded_at.toISOString() }));
    },
    readAll: (options: ReadAllOptions): Promise<RecordedEvent[]> => store.readAll(options),
  };
}
