import type { HealthStatus } from '@toolport/contracts';
import type { VersionKey } from './catalog-events';
import { type Db, iso } from './db';
import { type HealthState, remoteHealthOf, type StoredRemoteHealth, type ToolDrift } from './health.read-model';

interface HealthRow {
  status: HealthStatus | null;
  checked_at: Date | null;
  remotes: Record<string, StoredRemoteHealth>;
  drift: ToolDrift | null;
}

export async function loadHealth(db: Db, schema: string, key: VersionKey): Promise<HealthState | null> {
  const { rows } = await db.query<HealthRow>(`SELECT status, checked_at, remotes, drift FROM ${schema}.version_health WHERE server_name = $1 AND version = $2`, [
    key.serverName,
    key.version,
  ]);
  const row = rows[0];
  if (!row) return null;
  const remotes = Object.fromEntries(Object.entries(row.remotes).map(([url, remote]) => [url, remoteHealthOf(remote)]));
  return { status: row.status, checkedAt: iso(row.checked_at), remotes, drift: row.drift };
}

export async function saveHealth(db: Db, schema: string, key: VersionKey, state: HealthState): Promise<void> {
  await db.query(
    `INSERT INTO ${schema}.version_health (server_name, version, status, checked_at, remotes, drift, drift_detected_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)
     ON CONFLICT (server_name, version) DO UPDATE SET
       status = EXCLUDED.status, checked_at = EXCLUDED.checked_at, remotes = EXCLUDED.remotes, drift = EXCLUDED.drift, drift_detected_at = EXCLUDED.drift_detected_at`,
    [
      key.serverName,
      key.version,
      state.status,
      state.checkedAt,
      JSON.stringify(state.remotes),
      state.drift === null ? null : JSON.stringify(state.drift),
      state.drift?.detectedAt ?? null,
    ],
  );
}
