import type { HealthStatus, McpTool } from '@toolport/contracts';
import type { PoolClient } from 'pg';
import type { ProbeOutcome } from '../endpoint-status/hysteresis';
import type { ProbeResult } from '../probing/probe-result';
import type { TargetRow, VersionTools } from '../targets/target';

/** A pool or a transaction client. */
export interface Db {
  query: PoolClient['query'];
}

interface TargetQueryRow {
  target_id: string;
  server_name: string;
  version: string;
  remote_index: number;
  transport: 'streamable-http' | 'sse';
  remote_url: string;
  remote: TargetRow['remote'];
  active: boolean;
  declared_tools: McpTool[] | null;
  declared_list_hash: string | null;
  approved_tools: { name: string; hash: string }[] | null;
  approved_list_hash: string | null;
  approved_at: Date | null;
  status: HealthStatus | null;
}

export interface LoadedTarget {
  row: TargetRow;
  tools: VersionTools;
  status: HealthStatus | null;
}

const TARGET_SELECT = (s: string) => `
  SELECT t.target_id, t.server_name, t.version, t.remote_index, t.transport, t.remote_url, t.remote, t.active,
         v.declared_tools, v.declared_list_hash, a.tools AS approved_tools, a.list_hash AS approved_list_hash, a.approved_at, e.status
    FROM ${s}.targets t
    LEFT JOIN ${s}.versions v ON v.server_name = t.server_name AND v.version = t.version
    LEFT JOIN ${s}.approvals a ON a.server_name = t.server_name AND a.version = t.version
    LEFT JOIN ${s}.endpoints e ON e.target_id = t.target_id`;

function toLoaded(r: TargetQueryRow): LoadedTarget {
  return {
    row: { targetId: r.target_id, serverName: r.server_name, version: r.version, remoteIndex: r.remote_index, transport: r.transport, remoteUrl: r.remote_url, remote: r.remote, active: r.active },
    tools: {
      declared: r.declared_tools ?? [],
      declaredListHash: r.declared_list_hash ?? '',
      approved: r.approved_tools && r.approved_list_hash && r.approved_at ? { tools: r.approved_tools, listHash: r.approved_list_hash, approvedAt: r.approved_at.toISOString() } : null,
    },
    status: r.status,
  };
}

export async function loadTarget(db: Db, schema: string, targetId: string): Promise<LoadedTarget | null> {
  const { rows } = await db.query<TargetQueryRow>(`${TARGET_SELECT(schema)} WHERE t.target_id = $1`, [targetId]);
  return rows[0] ? toLoaded(rows[0]) : null;
}

export async function activeTargets(db: Db, schema: string): Promise<LoadedTarget[]> {
  const { rows } = await db.query<TargetQueryRow>(`${TARGET_SELECT(schema)} WHERE t.active ORDER BY t.target_id`);
  return rows.map(toLoaded);
}

/** Records one probe of one scheduled slot; false when that slot was already recorded (a job that ran twice). */
export async function insertProbe(tx: Db, schema: string, targetId: string, slotAt: Date, startedAt: Date, result: ProbeResult, worker: string): Promise<boolean> {
  const ok = result.outcome === 'ok' ? result : null;
  const { rowCount } = await tx.query(
    `INSERT INTO ${schema}.probes (target_id, slot_at, started_at, outcome, phase, reason, total_ms, resolve_ms, initialize_ms, list_tools_ms,
                                   protocol_version, server_info, tool_count, tool_list_hash, worker)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15)
     ON CONFLICT ON CONSTRAINT probes_slot_unique DO NOTHING`,
    [
      targetId,
      slotAt,
      startedAt,
      result.outcome,
      result.outcome === 'failed' ? result.phase : null,
      result.outcome === 'ok' ? null : result.reason.slice(0, 1000),
      result.latencies.totalMs,
      result.latencies.resolveMs,
      result.latencies.initializeMs,
      result.latencies.listToolsMs,
      ok?.protocolVersion ?? null,
      ok ? JSON.stringify(ok.serverInfo) : null,
      ok?.tools.length ?? null,
      ok?.toolListHash ?? null,
      worker,
    ],
  );
  return rowCount === 1;
}

/** The newest probes of a target (newest first), as the status rules see them. */
export async function recentOutcomes(db: Db, schema: string, targetId: string, limit: number): Promise<ProbeOutcome[]> {
  const { rows } = await db.query<{ outcome: ProbeOutcome['outcome']; total_ms: number; reason: string | null }>(
    `SELECT outcome, total_ms, reason FROM ${schema}.probes WHERE target_id = $1 ORDER BY slot_at DESC LIMIT $2`,
    [targetId, limit],
  );
  return rows.map((r) => ({ outcome: r.outcome, totalMs: r.total_ms, reason: r.reason ?? '' }));
}

/** Locks the target's live row (created on first use) so probes of one target are decided one at a time. */
export async function lockEndpoint(tx: Db, schema: string, targetId: string): Promise<{ driftKey: string | null }> {
  await tx.query(`INSERT INTO ${schema}.endpoints (target_id) VALUES ($1) ON CONFLICT (target_id) DO NOTHING`, [targetId]);
  const { rows } = await tx.query<{ drift_key: string | null }>(`SELECT drift_key FROM ${schema}.endpoints WHERE target_id = $1 FOR UPDATE`, [targetId]);
  return { driftKey: rows[0]?.drift_key ?? null };
}

export interface EndpointUpdate {
  status: HealthStatus | null;
  reason: string;
  statusChangedAt: Date | null;
  probedAt: Date | null;
  /** Only for a successful probe: what it listed, and the drift against the baseline (null: matches). */
  observed?: { tools: McpTool[]; listHash: string; driftKey: string | null; drift: unknown };
}

export async function updateEndpoint(tx: Db, schema: string, targetId: string, u: EndpointUpdate): Promise<void> {
  await tx.query(
    `UPDATE ${schema}.endpoints SET status = $2, reason = $3, status_at = COALESCE($4, status_at), last_probe_at = COALESCE($5, last_probe_at)
     WHERE target_id = $1`,
    [targetId, u.status, u.reason, u.statusChangedAt, u.probedAt],
  );
  if (u.observed) {
    await tx.query(`UPDATE ${schema}.endpoints SET observed_tools = $2::jsonb, observed_list_hash = $3, drift_key = $4, drift = $5::jsonb WHERE target_id = $1`, [
      targetId,
      JSON.stringify(u.observed.tools),
      u.observed.listHash,
      u.observed.driftKey,
      u.observed.drift === null ? null : JSON.stringify(u.observed.drift),
    ]);
  }
}

/**
 * Hourly counts for uptime, then pruning: raw probes older than 24 hours beyond the newest
 * `kept`, hourly counts older than 8 days. Per target on each probe, so the cost is spread and
 * bounded (an index range of one target).
 */
export async function rollUpAndPrune(tx: Db, schema: string, targetId: string, at: Date, ok: boolean, kept: number): Promise<void> {
  await tx.query(
    `INSERT INTO ${schema}.probe_hours (target_id, hour, probes, ok) VALUES ($1, date_trunc('hour', $2::timestamptz), 1, $3)
     ON CONFLICT (target_id, hour) DO UPDATE SET probes = ${schema}.probe_hours.probes + 1, ok = ${schema}.probe_hours.ok + EXCLUDED.ok`,
    [targetId, at, ok ? 1 : 0],
  );
  await tx.query(
    `DELETE FROM ${schema}.probes WHERE target_id = $1 AND started_at < $2::timestamptz - interval '24 hours'
       AND id < (SELECT id FROM ${schema}.probes WHERE target_id = $1 ORDER BY id DESC OFFSET $3 LIMIT 1)`,
    [targetId, at, kept - 1],
  );
  await tx.query(`DELETE FROM ${schema}.probe_hours WHERE target_id = $1 AND hour < $2::timestamptz - interval '8 days'`, [targetId, at]);
}
