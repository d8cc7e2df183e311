import type { CompatibilityReport, McpTool } from '@toolport/contracts';
import type { VersionStatus } from '../visibility/visibility';
import type { VersionKey } from './catalog-events';
import { type Db, isoRequired } from './db';
import type { VersionState } from './version.read-model';

interface VersionRow {
  server_name: string;
  version: string;
  server_json: string;
  schema_id: string;
  tools: McpTool[];
  compatibility: CompatibilityReport;
  status: VersionStatus;
  status_message: string | null;
  status_changed_at: Date;
  published_at: Date;
  updated_at: Date;
}

const VERSION_COLUMNS = 'server_name, version, server_json::text AS server_json, schema_id, tools, compatibility, status, status_message, status_changed_at, published_at, updated_at';

function versionFromRow(row: VersionRow): VersionState {
  return {
    serverName: row.server_name,
    version: row.version,
    serverJson: row.server_json,
    schemaId: row.schema_id,
    tools: row.tools,
    compatibility: row.compatibility,
    status: row.status,
    statusMessage: row.status_message,
    statusChangedAt: isoRequired(row.status_changed_at),
    publishedAt: isoRequired(row.published_at),
    updatedAt: isoRequired(row.updated_at),
  };
}

export async function loadVersion(db: Db, schema: string, key: VersionKey): Promise<VersionState | null> {
  const { rows } = await db.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM ${schema}.versions WHERE server_name = $1 AND version = $2`, [key.serverName, key.version]);
  return rows[0] ? versionFromRow(rows[0]) : null;
}

/** Several versions in one query, by `versionStateKey` (null for those that do not exist). */
export async function loadVersions(db: Db, schema: string, keys: readonly VersionKey[]): Promise<Map<string, VersionState | null>> {
  const states = new Map<string, VersionState | null>(keys.map((key) => [versionStateKey(key), null]));
  if (keys.length === 0) return states;
  const { rows } = await db.query<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM ${schema}.versions WHERE (server_name, version) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [keys.map((k) => k.serverName), keys.map((k) => k.version)],
  );
  for (const row of rows) states.set(versionStateKey({ serverName: row.server_name, version: row.version }), versionFromRow(row));
  return states;
}

export const versionStateKey = (key: VersionKey): string => `${key.serverName}\u0000${key.version}`;

/**
 * Writes a version row. `listed_updated_at` is the `updatedAt` callers see and `updated_since`
 * compares: the later of the publisher's update and the last approval decision. Without the
 * approval time, a poller that only sees approved versions (the default for agents) would never
 * learn of a version approved after it was published, since the official field moves only on
 * publisher changes. Both inputs are event times, so the value does not depend on which stream
 * the catalog applied first (security-events.projection.ts keeps it up to date from its side).
 */
export async function saveVersion(db: Db, schema: string, state: VersionState): Promise<void> {
  await db.query(upsertVersionSql(schema), versionParams(state));
}

function upsertVersionSql(schema: string): string {
  return `INSERT INTO ${schema}.versions AS v
       (server_name, version, server_json, schema_id, tools, compatibility, status, status_message, status_changed_at, published_at, updated_at, listed_updated_at)
     VALUES ($1, $2, $3::json, $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10, $11,
       GREATEST($11::timestamptz, (SELECT approval_at FROM ${schema}.version_security WHERE server_name = $1 AND version = $2)))
     ON CONFLICT (server_name, version) DO UPDATE SET
       status = EXCLUDED.status, status_message = EXCLUDED.status_message, status_changed_at = EXCLUDED.status_changed_at,
       updated_at = EXCLUDED.updated_at, listed_updated_at = EXCLUDED.listed_updated_at`;
}

function versionParams(state: VersionState): unknown[] {
  return [
    state.serverName,
    state.version,
    state.serverJson,
    state.schemaId,
    JSON.stringify(state.tools),
    JSON.stringify(state.compatibility),
    state.status,
    state.statusMessage,
    state.statusChangedAt,
    state.publishedAt,
    state.updatedAt,
  ];
}

/**
 * A new version as one statement: its server row (if new), the version row and one row per
 * declared tool, the three writes of ensureServer, saveVersion and insertTools in one round trip
 * (they touch different tables, so none needs to see another's row). The projection's rate was
 * bound by round trips to PostgreSQL (the catalog ~64% idle while applying a backlog).
 */
export async function insertPublishedVersion(db: Db, schema: string, state: VersionState, firstPublishedAt: string): Promise<void> {
  await db.query(
    `WITH server AS (
       INSERT INTO ${schema}.servers (server_name, first_published_at) VALUES ($1, $12) ON CONFLICT (server_name) DO NOTHING
     ), version AS (
       ${upsertVersionSql(schema)}
     )
     INSERT INTO ${schema}.tools (server_name, version, tool_name, position, title, description, tool)
     SELECT $1, $2, t.tool->>'name', t.position - 1, t.tool->>'title', t.tool->>'description', t.tool
       FROM jsonb_array_elements($5::jsonb) WITH ORDINALITY AS t(tool, position)
     ON CONFLICT (server_name, version, tool_name) DO NOTHING`,
    [...versionParams(state), firstPublishedAt],
  );
}

/**
 * Makes `latest` the server's latest version (null: none) and returns the versions whose flag
 * changed, which must be re-indexed.
 */
export async function setLatest(db: Db, schema: string, serverName: string, latest: string | null): Promise<VersionKey[]> {
  // One round trip: the two updates touch different tables.
  const { rows } = await db.query<{ version: string }>(
    `WITH server AS (UPDATE ${schema}.servers SET latest_version = $2 WHERE server_name = $1)
     UPDATE ${schema}.versions SET is_latest = COALESCE(version = $2, false)
      WHERE server_name = $1 AND is_latest <> COALESCE(version = $2, false)
      RETURNING version`,
    [serverName, latest],
  );
  return rows.map((r) => ({ serverName, version: r.version }));
}
