import type { Migration } from '@toolport/event-store';

/** NOTIFY channel: the targets changed (delivered at the projection's commit); the scheduler reconciles. */
export const targetsChannel = (schema: string): string => `${schema}_health_targets`.slice(0, 63);

/**
 * The health service's tables (its own schema, beside `events`):
 * - `versions`, `approvals`, `targets`: the targets read model, projected from the publisher's
 *   and the scanner's streams. Approvals have their own table because the two streams arrive in
 *   no particular order relative to each other (an approval may be applied before the publish).
 * - `endpoints`: each target's live state for the API, written with the events that change it.
 * - `probes`: the last probes of each target (pruned, see probe-store.ts); `(target_id, slot_at)`
 *   is unique, so a job that runs twice for one scheduled slot records one probe.
 * - `probe_hours`: probes and successes per target and hour, for uptime over 24 h and 7 days
 *   without keeping a week of raw probes.
 */
export const healthMigrations: Migration[] = [
  {
    id: 'health/0001-targets-and-probes',
    up: (s) => `
      CREATE TABLE ${s}.versions (
        server_name text COLLATE "C" NOT NULL,
        version text COLLATE "C" NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'deprecated', 'deleted')),
        is_latest boolean NOT NULL DEFAULT false,
        declared_tools jsonb NOT NULL,
        declared_list_hash text NOT NULL,
        published_at timestamptz NOT NULL,
        PRIMARY KEY (server_name, version)
      );
      CREATE TABLE ${s}.approvals (
        server_name text COLLATE "C" NOT NULL,
        version text COLLATE "C" NOT NULL,
        tools jsonb NOT NULL,
        list_hash text NOT NULL,
        approved_at timestamptz NOT NULL,
        PRIMARY KEY (server_name, version)
      );
      CREATE TABLE ${s}.targets (
        target_id text PRIMARY KEY,
        server_name text COLLATE "C" NOT NULL,
        version text COLLATE "C" NOT NULL,
        remote_index integer NOT NULL,
        transport text NOT NULL,
        remote_url text NOT NULL,
        remote jsonb NOT NULL,
        active boolean NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX targets_version_idx ON ${s}.targets (server_name, version);
      CREATE INDEX targets_active_idx ON ${s}.targets (target_id) WHERE active;
      CREATE TABLE ${s}.endpoints (
        target_id text PRIMARY KEY,
        status text,
        reason text NOT NULL DEFAULT '',
        status_at timestamptz,
        last_probe_at timestamptz,
        observed_tools jsonb,
        observed_list_hash text,
        drift_key text,
        drift jsonb
      );
      CREATE TABLE ${s}.probes (
        id bigserial PRIMARY KEY,
        target_id text NOT NULL,
        slot_at timestamptz NOT NULL,
        started_at timestamptz NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('ok', 'failed', 'blocked')),
        phase text,
        reason text,
        total_ms double precision NOT NULL,
        resolve_ms double precision,
        initialize_ms double precision,
        list_tools_ms double precision,
        protocol_version text,
        server_info jsonb,
        tool_count integer,
        tool_list_hash text,
        worker text NOT NULL,
        CONSTRAINT probes_slot_unique UNIQUE (target_id, slot_at)
      );
      CREATE INDEX probes_target_started_idx ON ${s}.probes (target_id, started_at DESC);
      CREATE TABLE ${s}.probe_hours (
        target_id text NOT NULL,
        hour timestamptz NOT NULL,
        probes integer NOT NULL,
        ok integer NOT NULL,
        PRIMARY KEY (target_id, hour)
      );`,
  },
];
