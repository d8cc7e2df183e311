import { eventsNotificationChannel } from '@toolport/event-store';
import { CommittedLog, sseMessage, SseFeed } from '@toolport/platform';
import type { Pool } from 'pg';

/** The events the stream carries: what ops dashboards watch. */
export const STREAMED_TYPES = ['HealthStatusChanged', 'ToolDriftDetected'] as const;

export interface HealthStreamRecord {
  /** The event's global position in the health service's store: the SSE id, resumable with Last-Event-ID. */
  id: number;
  type: string;
  eventId: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/**
 * The health service's own events, read from its event store as they commit (the store NOTIFYs
 * its channel at each append's commit; positions commit in order under its advisory lock, so a
 * reader never skips one).
 */
export function healthEventLog(pool: Pool, schema: string, onError: (error: unknown) => void): CommittedLog<HealthStreamRecord> {
  return new CommittedLog<HealthStreamRecord>({
    pool,
    channel: eventsNotificationChannel(schema),
    latestId: async () => Number((await pool.query<{ id: string }>(`SELECT COALESCE(MAX(global_position), 0) AS id FROM ${schema}.events`)).rows[0]!.id),
    since: async (afterId, limit) => {
      const { rows } = await pool.query<{ global_position: string; type: string; data: Record<string, unknown>; metadata: { eventId: string; occurredAt: string } }>(
        `SELECT global_position, type, data, metadata FROM ${schema}.events WHERE global_position > $1 AND type = ANY($2::text[]) ORDER BY global_position LIMIT $3`,
        [afterId, STREAMED_TYPES, limit],
      );
      return rows.map((r) => ({ id: Number(r.global_position), type: r.type, eventId: r.metadata.eventId, occurredAt: r.metadata.occurredAt, data: r.data }));
    },
    onError,
  });
}

export function healthStreamFeed(log: CommittedLog<HealthStreamRecord>, onError: (error: unknown) => void): SseFeed<HealthStreamRecord> {
  return new SseFeed(log, {
    format: (r) => sseMessage(r.id, r.type, { id: r.id, type: r.type, eventId: r.eventId, occurredAt: r.occurredAt, ...r.data }),
    // Other event types may share the store (a service-wide event); they advance the id, unsent.
    filter: (r) => (STREAMED_TYPES as readonly string[]).includes(r.type),
    onError,
  });
}
