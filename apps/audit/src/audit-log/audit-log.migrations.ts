import type { Migration } from '@toolport/event-store';
import { auditWriterRole } from './audit-writer-role';

/** The tables that make up the log; the only ones the writer role may touch. */
export const AUDIT_TABLES = ['audit_records', 'tree_heads', 'signing_keys'] as const;

/**
 * The audit log's storage. Three layers keep a record from being changed quietly:
 * 1. the service's statements run as `<schema>_writer` (see audit-writer-role.ts), which holds
 *    INSERT and SELECT on these tables and nothing else, so a bug or an injected statement in
 *    the service cannot UPDATE, DELETE or TRUNCATE;
 * 2. a statement-level trigger rejects UPDATE, DELETE and TRUNCATE for everyone, the table owner
 *    included (only a superuser or the owner can disable it, and doing so is visible in the
 *    server log when `log_statement` covers DDL);
 * 3. what those cannot stop (a superuser who disables the trigger) the Merkle tree and the signed
 *    tree heads held by others expose: `GET /api/v1/audit/verify` names the first changed record.
 *
 * Creating the role needs CREATEROLE (or a superuser). Where the service's database user has
 * neither, a DBA creates `<schema>_writer` NOLOGIN beforehand and grants it to that user; the
 * migration then only grants table privileges. Roles are cluster-wide, hence the instance prefix.
 */
export const auditLogMigrations: Migration[] = [
  {
    id: 'audit/0001-log-tables',
    up: (schema) => `
      CREATE TABLE ${schema}.audit_records (
        seq bigint PRIMARY KEY CHECK (seq >= 1),
        event_id text NOT NULL,
        type text NOT NULL,
        stream_id text NOT NULL,
        actor_kind text NOT NULL,
        actor_id text NOT NULL,
        -- Kept as received: the leaf commits to these exact characters.
        occurred_at text NOT NULL,
        -- The same instant as a timestamp, for the from/to filters.
        occurred_at_ts timestamptz NOT NULL,
        server_name text,
        version text,
        summary text NOT NULL,
        payload_digest text NOT NULL,
        -- canonicalJson(payload): text, not jsonb, so the stored bytes are exactly what was digested
        -- (jsonb rejects \\u0000 and renormalises numbers).
        payload text NOT NULL,
        leaf_hash bytea NOT NULL CHECK (octet_length(leaf_hash) = 32),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT audit_records_event_id_unique UNIQUE (event_id),
        CONSTRAINT audit_records_version_needs_server CHECK (version IS NULL OR server_name IS NOT NULL)
      );
      CREATE INDEX audit_records_actor_idx ON ${schema}.audit_records (actor_id, seq);
      CREATE INDEX audit_records_server_idx ON ${schema}.audit_records (server_name, seq) WHERE server_name IS NOT NULL;
      CREATE INDEX audit_records_type_idx ON ${schema}.audit_records (type, seq);
      CREATE INDEX audit_records_occurred_idx ON ${schema}.audit_records (occurred_at_ts);

      CREATE TABLE ${schema}.tree_heads (
        tree_size bigint PRIMARY KEY CHECK (tree_size >= 1),
        root_hash text NOT NULL,
        signed_at text NOT NULL,
        signature text NOT NULL,
        key_id text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );

      -- Public keys of every key that signed a head (verify needs the old ones after a rotation);
      -- private_seed only for a key the service generated itself (none when it came from config).
      CREATE TABLE ${schema}.signing_keys (
        key_id text PRIMARY KEY,
        public_key bytea NOT NULL CHECK (octet_length(public_key) = 32),
        private_seed bytea CHECK (private_seed IS NULL OR octet_length(private_seed) = 32),
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX signing_keys_one_generated ON ${schema}.signing_keys ((true)) WHERE private_seed IS NOT NULL;

      CREATE FUNCTION ${schema}.reject_audit_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION 'the audit log is append-only: % on %.% is not allowed', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END
      $fn$;
      ${AUDIT_TABLES.map(
        (table) =>
          `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${schema}.${table}
             FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.reject_audit_change();`,
      ).join('\n')}`,
  },
  {
    id: 'audit/0002-writer-role',
    up: (schema) => {
      const role = auditWriterRole(schema);
      return `
      DO $do$
      BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN
          CREATE ROLE ${role} NOLOGIN;
        END IF;
        -- SET ROLE needs membership; a superuser has it implicitly, anyone else gets it here.
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = current_user AND rolsuper) THEN
          EXECUTE format('GRANT ${role} TO %I', current_user);
        END IF;
      END
      $do$;
      REVOKE ALL ON ${AUDIT_TABLES.map((t) => `${schema}.${t}`).join(', ')} FROM PUBLIC;
      GRANT USAGE ON SCHEMA ${schema} TO ${role};
      GRANT SELECT, INSERT ON ${AUDIT_TABLES.map((t) => `${schema}.${t}`).join(', ')} TO ${role};
      -- The log assigns seq itself (under a lock) and has no sequences today; any added later are usable.
      GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role};`;
    },
  },
];
