import type { Migration } from '@toolport/event-store';

/**
 * Tables the messaging library keeps in a service's schema, run with the service's other
 * migrations (`runMigrations(pool, schema, messagingMigrations)`; MessagingModule does it at start).
 * - `relay_checkpoint`: the last global position the relay has seen acknowledged by JetStream.
 * - `consumer_checkpoints`: per projection, the last stream sequence applied, written in the
 *   same transaction as the projection's own writes so a redelivered message changes nothing.
 */
export const messagingMigrations: Migration[] = [
  {
    id: 'messaging/0001-checkpoints',
    up: (schema) => `
      CREATE TABLE ${schema}.relay_checkpoint (
        relay text PRIMARY KEY,
        position bigint NOT NULL CHECK (position >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE ${schema}.consumer_checkpoints (
        consumer text PRIMARY KEY,
        stream_sequence bigint NOT NULL CHECK (stream_sequence >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      );`,
  },
];
