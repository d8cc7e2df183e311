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

export async function loadVersion(db: Db, schema: string, key: VersionKey): Promise<VersionState | null> {
  const { rows } = await db.query<VersionRow>(
    `SELECT server_name, version, server_json::text AS server_json, schema_id, tools, compatibility, status, status_message, status_changed_at, published_at, updated_at
       FROM ${schema}.versions WHERE server_name = $1 AND version = $2`,
    [key.serverName, key.version],
  );
  const row = rows[0];
  if (!row) return null;
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

/**
 * Writes a version row. `listed_updated_at` is the `updatedAt` callers see and `updated_since`
 * compares: the later of the publisher's update and the last approval decision. Without the
 * approval time, a poller that only sees approved versions (the default for agents) would never
 * learn of a version approved after it was published, since the official field moves only on
 * publisher changes. Both inputs are event times, so the value does not depend on which stream
 * the catalog applied first (security-events.projection.ts keeps it up to date from its side).
 */
export async function saveVersion(db: Db, schema: string, state: VersionState): Promise<void> {
  await db.query(
    `INSERT INTO ${schema}.versions AS v
       (server_name, version, server_json, schema_id, tools, compatibility, status, status_message, status_changed_at, published_at, updated_at, listed_updated_at)
     VALUES ($1, $2, $3::json, $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10, $11,
       GREATEST($11::timestamptz, (SELECT approval_at FROM ${schema}.version_security WHERE server_name = $1 AND version = $2)))
     ON CONFLICT (server_name, version) DO UPDATE SET
       status = EXCLUDED.status, status_message = EXCLUDED.status_message, status_changed_at = EXCLUDED.status_changed_at,
       updated_at = EXCLUDED.updated_at, listed_updated_at = EXCLUDED.listed_updated_at`,
    [
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
    ],
  );
}

/** One row per declared tool, in declaration order (names are unique per version: the publisher refuses duplicates). */
export async function insertTools(db: Db, schema: string, state: VersionState): Promise<void> {
  if (state.tools.length === 0) return;
  await db.query(
    `INSERT INTO ${schema}.tools (server_name, version, tool_name, position, title, description, tool)
     SELECT $1, $2, t.tool->>'name', t.position - 1, t.tool->>'title', t.tool->>'description', t.tool
       FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(tool, position)
     ON CONFLICT (server_name, version, tool_name) DO NOTHING`,
    [state.serverName, state.version, JSON.stringify(state.tools)],
  );
}

export async function ensureServer(db: Db, schema: string, serverName: string, publishedAt: string): Promise<void> {
  await db.query(`INSERT INTO ${schema}.servers (server_name, first_published_at) VALUES ($1, $2) ON CONFLICT (server_name) DO NOTHING`, [serverName, publishedAt]);
}

/**
 * Makes `latest` the server's latest version (null: none) and returns the versions whose flag
 * changed, which must be re-indexed.
 */
export async function setLatest(db: Db, schema: string, serverName: string, latest: string | null): Promise<VersionKey[]> {
  await db.query(`UPDATE ${schema}.servers SET latest_version = $2 WHERE server_name = $1`, [serverName, latest]);
  const { rows } = await db.query<{ version: string }>(
    `UPDATE ${schema}.versions SET is_latest = COALESCE(version = $2, false)
      WHERE server_name = $1 AND is_latest <> COALESCE(version = $2, false)
      RETURNING version`,
    [serverName, latest],
  );
  return rows.map((r) => ({ serverName, version: r.version }));
}
