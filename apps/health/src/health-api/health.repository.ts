import type { HealthStatus, ToolDriftEntry } from '@toolport/contracts';
import type { Pool } from 'pg';
import type { ToolDriftReport } from '../endpoint-status/tool-drift';
import { type EndpointSummary, percentile, severity, uptime } from './health-summary';

export interface ProbeView {
  startedAt: string;
  slotAt: string;
  remoteUrl: string;
  version: string;
  outcome: 'ok' | 'failed' | 'blocked';
  phase: string | null;
  reason: string | null;
  totalMs: number;
  initializeMs: number | null;
  listToolsMs: number | null;
  protocolVersion: string | null;
  toolCount: number | null;
}

export interface ServerHealthData {
  versions: string[];
  endpoints: EndpointSummary[];
  probes: ProbeView[];
  uptime24h: number | null;
  uptime7d: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** The API's reads of the health tables (health.migrations.ts). */
export class HealthRepository {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  /**
   * One server's health over the targets of `version` (else its latest version, else every
   * version not deleted); null when the server has no such version.
   */
  async server(serverName: string, version: string | null, probeLimit: number, now: Date): Promise<ServerHealthData | null> {
    const s = this.schema;
    const { rows: versions } = await this.pool.query<{ version: string; is_latest: boolean }>(
      `SELECT version, is_latest FROM ${s}.versions WHERE server_name = $1 AND status <> 'deleted' ORDER BY published_at`,
      [serverName],
    );
    const chosen = version !== null ? versions.filter((v) => v.version === version) : versions.some((v) => v.is_latest) ? versions.filter((v) => v.is_latest) : versions;
    if (chosen.length === 0) return null;
    const names = chosen.map((v) => v.version);
    const { rows: targets } = await this.pool.query<{
      target_id: string;
      version: string;
      remote_url: string;
      transport: string;
      status: HealthStatus | null;
      reason: string | null;
      last_probe_at: Date | null;
      drift: ToolDriftReport | null;
      baseline: 'approved' | 'declared' | null;
    }>(
      `SELECT t.target_id, t.version, t.remote_url, t.transport, e.status, e.reason, e.last_probe_at, e.drift,
              CASE WHEN a.server_name IS NOT NULL THEN 'approved' ELSE 'declared' END AS baseline
         FROM ${s}.targets t
         LEFT JOIN ${s}.endpoints e ON e.target_id = t.target_id
         LEFT JOIN ${s}.approvals a ON a.server_name = t.server_name AND a.version = t.version
        WHERE t.server_name = $1 AND t.version = ANY($2::text[]) AND t.active
        ORDER BY t.version, t.remote_index`,
      [serverName, names],
    );
    const ids = targets.map((t) => t.target_id);
    const byId = new Map(targets.map((t) => [t.target_id, t]));
    const { rows: probes } = await this.pool.query<{
      target_id: string;
      started_at: Date;
      slot_at: Date;
      outcome: ProbeView['outcome'];
      phase: string | null;
      reason: string | null;
      total_ms: number;
      initialize_ms: number | null;
      list_tools_ms: number | null;
      protocol_version: string | null;
      tool_count: number | null;
    }>(
      `SELECT target_id, started_at, slot_at, outcome, phase, reason, total_ms, initialize_ms, list_tools_ms, protocol_version, tool_count
         FROM ${s}.probes WHERE target_id = ANY($1::text[]) ORDER BY started_at DESC LIMIT $2`,
      [ids, probeLimit],
    );
    const { rows: hours } = await this.pool.query<{ probes24: string; ok24: string; probes7: string; ok7: string }>(
      `SELECT COALESCE(SUM(probes) FILTER (WHERE hour > $2::timestamptz - interval '24 hours'), 0) AS probes24,
              COALESCE(SUM(ok) FILTER (WHERE hour > $2::timestamptz - interval '24 hours'), 0) AS ok24,
              COALESCE(SUM(probes), 0) AS probes7, COALESCE(SUM(ok), 0) AS ok7
         FROM ${s}.probe_hours WHERE target_id = ANY($1::text[]) AND hour > $2::timestamptz - interval '7 days'`,
      [ids, now],
    );
    const { rows: latencies } = await this.pool.query<{ total_ms: number }>(
      `SELECT total_ms FROM ${s}.probes WHERE target_id = ANY($1::text[]) AND outcome = 'ok' AND started_at > $2::timestamptz - interval '24 hours'`,
      [ids, now],
    );
    const h = hours[0]!;
    const values = latencies.map((l) => l.total_ms);
    const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
    return {
      versions: names,
      endpoints: targets.map((t) => ({
        version: t.version,
        remoteUrl: t.remote_url,
        transport: t.transport,
        status: t.status,
        reason: t.reason ?? '',
        lastProbeAt: iso(t.last_probe_at),
        drift: t.drift ? { detected: true, baseline: t.baseline, tools: t.drift.tools } : t.last_probe_at ? { detected: false, baseline: t.baseline, tools: [] as ToolDriftEntry[] } : null,
      })),
      probes: probes.map((p) => ({
        startedAt: p.started_at.toISOString(),
        slotAt: p.slot_at.toISOString(),
        remoteUrl: byId.get(p.target_id)!.remote_url,
        version: byId.get(p.target_id)!.version,
        outcome: p.outcome,
        phase: p.phase,
        reason: p.reason,
        totalMs: round(p.total_ms)!,
        initializeMs: round(p.initialize_ms),
        listToolsMs: round(p.list_tools_ms),
        protocolVersion: p.protocol_version,
        toolCount: p.tool_count,
      })),
      uptime24h: uptime({ probes: Number(h.probes24), ok: Number(h.ok24) }),
      uptime7d: uptime({ probes: Number(h.probes7), ok: Number(h.ok7) }),
      latencyP50Ms: round(percentile(values, 50)),
      latencyP95Ms: round(percentile(values, 95)),
    };
  }

  /** Status of every active target, and the worst ones with their server names. */
  async fleet(worstLimit: number): Promise<{ statuses: (HealthStatus | null)[]; worst: Array<{ serverName: string; version: string; remoteUrl: string; status: HealthStatus | null; reason: string; since: string | null }> }> {
    const { rows } = await this.pool.query<{ server_name: string; version: string; remote_url: string; status: HealthStatus | null; reason: string | null; status_at: Date | null }>(
      `SELECT t.server_name, t.version, t.remote_url, e.status, e.reason, e.status_at
         FROM ${this.schema}.targets t LEFT JOIN ${this.schema}.endpoints e ON e.target_id = t.target_id WHERE t.active`,
    );
    const offenders = rows
      .filter((r) => r.status !== 'healthy' && r.status !== null)
      // Worst status first; within one, the longest-standing first.
      .sort((a, b) => severity(b.status) - severity(a.status) || (a.status_at?.getTime() ?? 0) - (b.status_at?.getTime() ?? 0))
      .slice(0, worstLimit)
      .map((r) => ({ serverName: r.server_name, version: r.version, remoteUrl: r.remote_url, status: r.status, reason: r.reason ?? '', since: iso(r.status_at) }));
    return { statuses: rows.map((r) => r.status), worst: offenders };
  }
}
