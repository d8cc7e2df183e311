import type { Migration } from '@toolport/event-store';

/**
 * The scanner's own tables besides its events:
 * - `scan_versions`: the versions it learned from the publisher's stream (what to scan, who
 *   published it), written by the `scanner-publisher-events` projection.
 * - `scan_state` and `review_state`: each aggregate's folded state, written in the same
 *   transaction as the events that changed it (under the event store's append lock), so the
 *   reconciler, the review queue and the scan API read it without replaying streams.
 * Names are `COLLATE "C"` so listings sort in plain byte order.
 */
export const scannerMigrations: Migration[] = [
  {
    id: 'scanner/0001-scans-and-reviews',
    up: (s) => `
      CREATE TABLE ${s}.scan_versions (
        server_name text COLLATE "C" NOT NULL,
        version text COLLATE "C" NOT NULL,
        server_json jsonb NOT NULL,
        tools jsonb NOT NULL,
        compatibility jsonb NOT NULL,
        status text NOT NULL,
        published_by jsonb NOT NULL,
        published_at timestamptz NOT NULL,
        ownership_verified boolean NOT NULL DEFAULT false,
        PRIMARY KEY (server_name, version)
      );
      CREATE TABLE ${s}.scan_state (
        server_name text COLLATE "C" NOT NULL,
        version text COLLATE "C" NOT NULL,
        requests integer NOT NULL,
        finished_through integer NOT NULL,
        last_finished_rules_version text,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (server_name, version)
      );
      CREATE INDEX scan_state_open ON ${s}.scan_state (server_name, version) WHERE requests > finished_through;
      CREATE TABLE ${s}.review_state (
        server_name text COLLATE "C" NOT NULL,
        version text COLLATE "C" NOT NULL,
        decision text NOT NULL,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (server_name, version)
      );`,
  },
];
