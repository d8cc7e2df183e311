import type { Migration } from '@toolport/event-store';

/** The catalog's read-model tables (in the catalog's schema), for other catalog features to read. */
export const CATALOG_TABLES = {
  servers: 'servers',
  versions: 'versions',
  tools: 'tools',
  security: 'version_security',
  health: 'version_health',
  changes: 'changes',
} as const;

/** The tables a rebuild empties and fills again (`changes` is the feed's history and stays). */
export const REBUILT_TABLES = [CATALOG_TABLES.tools, CATALOG_TABLES.security, CATALOG_TABLES.health, CATALOG_TABLES.versions, CATALOG_TABLES.servers] as const;

/**
 * Names and versions are `COLLATE "C"`: the official list orders by name then version in plain
 * string order and pages with a (name, version) cursor, so comparisons must be byte order and
 * the primary key index must serve both the ORDER BY and the keyset condition.
 *
 * Security and health rows are keyed by version but have no foreign key to `versions`: each
 * table is written by the projection of one stream only, and the three streams arrive in no
 * particular order relative to each other (an approval may be applied before the publish).
 */
export const catalogReadModelMigrations: Migration[] = [
  {
    id: 'catalog/0001-read-model',
    up: (s) => `
      CREATE TABLE ${s}.servers (
        server_name text COLLATE "C" PRIMARY KEY,
        latest_version text COLLATE "C",
        first_published_at timestamptz NOT NULL
      );
      CREATE TABLE ${s}.versions (
        server_name text COLLATE "C" NOT NULL,
        version text COLLATE "C" NOT NULL,
        server_json json NOT NULL,
        schema_id text NOT NULL,
        tools jsonb NOT NULL,
        compatibility jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'deprecated', 'deleted')),
        status_message text,
        status_changed_at timestamptz NOT NULL,
        published_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        listed_updated_at timestamptz NOT NULL,
        is_latest boolean NOT NULL DEFAULT false,
        PRIMARY KEY (server_name, version)
      );
      CREATE INDEX versions_latest_idx ON ${s}.versions (server_name, version) WHERE is_latest;
      CREATE INDEX versions_listed_updated_idx ON ${s}.versions (listed_updated_at);
      CREATE INDEX versions_published_idx ON ${s}.versions (server_name, published_at DESC);
      CREATE TABLE ${s}.tools (
        server_name text COLLATE "C" NOT NULL,
        version text COLLATE "C" NOT NULL,
        tool_name text COLLATE "C" NOT NULL,
        position integer NOT NULL,
        title text,
        description text,
        tool jsonb NOT NULL,
        PRIMARY KEY (server_name, version, tool_name)
      );
      CREATE INDEX tools_tool_name_idx ON ${s}.tools (tool_name);
      CREATE TABLE ${s}.version_security (
        server_name text COLLATE "C" NOT NULL,
        version text COLLATE "C" NOT NULL,
        scan_status text NOT NULL CHECK (scan_status IN ('pending', 'completed', 'failed')),
        scan_requested_at timestamptz,
        scan_finished_at timestamptz,
        scan_failure text,
        rules_version text,
        trust_level text,
        score integer,
        finding_counts jsonb NOT NULL,
        tool_list_hash text,
        approval text NOT NULL CHECK (approval IN ('pending', 'approved', 'rejected', 'revoked')),
        approval_by jsonb,
        approval_at timestamptz,
        approval_justification text,
        approval_automatic boolean,
        PRIMARY KEY (server_name, version)
      );
      CREATE INDEX version_security_approved_idx ON ${s}.version_security (server_name, version) WHERE approval = 'approved';
      CREATE TABLE ${s}.version_health (
        server_name text COLLATE "C" NOT NULL,
        version text COLLATE "C" NOT NULL,
        status text,
        checked_at timestamptz,
        remotes jsonb NOT NULL,
        drift jsonb,
        drift_detected_at timestamptz,
        PRIMARY KEY (server_name, version)
      );
      CREATE TABLE ${s}.changes (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        server_name text NOT NULL,
        version text,
        at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );`,
  },
  {
    // search= is a case-insensitive substring of the name (ILIKE '%s%', as upstream): a
    // trigram index serves it. pg_trgm is a trusted contrib extension (PostgreSQL 13+), but a
    // server without contrib, or a role without CREATE on the database, must still start: the
    // list then scans, which is correct and only slower. Concurrent first starts of several
    // instances race on CREATE EXTENSION (a unique violation in pg_extension): that one lost
    // the race to an identical extension and carries on.
    id: 'catalog/0002-name-trigram-index',
    up: (s) => `
      DO $$
      DECLARE extension_schema text;
      BEGIN
        BEGIN
          CREATE EXTENSION IF NOT EXISTS pg_trgm;
        EXCEPTION WHEN unique_violation OR duplicate_object OR insufficient_privilege OR undefined_file OR feature_not_supported THEN
          NULL;
        END;
        SELECT n.nspname INTO extension_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
        IF extension_schema IS NOT NULL THEN
          EXECUTE format('CREATE INDEX versions_name_trgm_idx ON ${s}.versions USING gin (server_name %I.gin_trgm_ops)', extension_schema);
        END IF;
      END $$;`,
  },
  {
    // The change feed shows an agent only changes about versions it may know of: ones approved
    // at some point (approved, or revoked since). Decided when the change is recorded, inside the
    // projection's transaction, so the feed filters without a query per change. Earlier changes
    // take the versions' approval as it is now.
    id: 'catalog/0003-changes-approved-once',
    up: (s) => `
      ALTER TABLE ${s}.changes ADD COLUMN approved_once boolean;
      UPDATE ${s}.changes c SET approved_once = EXISTS (
        SELECT 1 FROM ${s}.version_security v
         WHERE v.server_name = c.server_name AND (c.version IS NULL OR v.version = c.version) AND v.approval IN ('approved', 'revoked'));
      ALTER TABLE ${s}.changes ALTER COLUMN approved_once SET NOT NULL;`,
  },
];
