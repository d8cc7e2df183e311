import type { HealthStatus, McpTool } from '@toolport/contracts';
import type { VersionStatus } from '../visibility/visibility';
import type { VersionKey } from './catalog-events';
import { type Db, iso, isoRequired } from './db';
import type { RemoteUptime } from './health-uptime';
import { remoteHealthOf, type StoredRemoteHealth } from './health.read-model';
import { SECURITY_COLUMNS, securityFromRow, type SecurityRow } from './security.repository';
import type { SecurityState } from './security.read-model';

/** One version as the catalog serves it: version row, security and health joined. */
export interface CatalogEntry {
  serverName: string;
  version: string;
  /** The server.json as published, as JSON text (served without a parse/serialise round trip). */
  serverJson: string;
  status: VersionStatus;
  statusMessage: string | null;
  statusChangedAt: string;
  publishedAt: string;
  /** `listed_updated_at`: the later of the publisher's update and the last approval decision. */
  updatedAt: string;
  isLatest: boolean;
  /** Declared tools; only loaded when asked for (search documents), otherwise empty. */
  tools: McpTool[];
  /** null: nothing heard from the scanner yet. */
  security: SecurityState | null;
  health: EntryHealth | null;
}

export interface EntryHealth {
  status: HealthStatus | null;
  checkedAt: string | null;
  driftDetectedAt: string | null;
  /** Each probed remote's status and uptime account (the uptime in `_meta` is worked out when answering). */
  remotes: RemoteUptime[];
}

interface EntryRow {
  server_name: string;
  version: string;
  server_json: string;
  status: VersionStatus;
  status_message: string | null;
  status_changed_at: Date;
  published_at: Date;
  listed_updated_at: Date;
  is_latest: boolean;
  tools?: McpTool[];
  s_present: boolean;
  h_present: boolean;
  h_status: HealthStatus | null;
  h_checked_at: Date | null;
  h_drift_detected_at: Date | null;
  h_remotes: Record<string, StoredRemoteHealth> | null;
}

const SECURITY_SELECT = SECURITY_COLUMNS.split(', ')
  .map((c) => `s.${c}`)
  .join(', ');

/**
 * `SELECT … FROM versions v LEFT JOIN security s LEFT JOIN health h`: callers append WHERE,
 * ORDER BY and LIMIT using aliases v, s and h.
 */
export function entrySelect(schema: string, options: { withTools?: boolean } = {}): string {
  return `SELECT v.server_name, v.version, v.server_json::text AS server_json, v.status, v.status_message, v.status_changed_at,
      v.published_at, v.listed_updated_at, v.is_latest${options.withTools ? ', v.tools' : ''},
      s.server_name IS NOT NULL AS s_present, ${SECURITY_SELECT},
      h.server_name IS NOT NULL AS h_present, h.status AS h_status, h.checked_at AS h_checked_at, h.drift_detected_at AS h_drift_detected_at, h.remotes AS h_remotes
    FROM ${schema}.versions v
    LEFT JOIN ${schema}.version_security s ON s.server_name = v.server_name AND s.version = v.version
    LEFT JOIN ${schema}.version_health h ON h.server_name = v.server_name AND h.version = v.version`;
}

export function entryFromRow(row: EntryRow & SecurityRow): CatalogEntry {
  return {
    serverName: row.server_name,
    version: row.version,
    serverJson: row.server_json,
    status: row.status,
    statusMessage: row.status_message,
    statusChangedAt: isoRequired(row.status_changed_at),
    publishedAt: isoRequired(row.published_at),
    updatedAt: isoRequired(row.listed_updated_at),
    isLatest: row.is_latest,
    tools: row.tools ?? [],
    security: row.s_present ? securityFromRow(row) : null,
    health: row.h_present
      ? { status: row.h_status, checkedAt: iso(row.h_checked_at), driftDetectedAt: iso(row.h_drift_detected_at), remotes: Object.values(row.h_remotes ?? {}).map(remoteHealthOf) }
      : null,
  };
}

/** Runs `entrySelect` + `tail` (WHERE/ORDER/LIMIT) and maps the rows. */
export async function queryEntries(db: Db, schema: string, tail: string, params: unknown[], options: { withTools?: boolean } = {}): Promise<CatalogEntry[]> {
  const { rows } = await db.query<EntryRow & SecurityRow>(`${entrySelect(schema, options)} ${tail}`, params);
  return rows.map(entryFromRow);
}

/** The entries of these versions (those that exist), with their tools: what the search documents are made of. */
export function loadEntries(db: Db, schema: string, keys: readonly VersionKey[]): Promise<CatalogEntry[]> {
  if (keys.length === 0) return Promise.resolve([]);
  return queryEntries(
    db,
    schema,
    `WHERE (v.server_name, v.version) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [keys.map((k) => k.serverName), keys.map((k) => k.version)],
    { withTools: true },
  );
}
