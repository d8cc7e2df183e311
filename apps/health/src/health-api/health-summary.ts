import type { HealthStatus, ToolDriftEntry } from '@toolport/contracts';

/** The statuses the API reports: `unknown` before the first verdict, and for an endpoint that cannot be probed. */
export type ApiStatus = 'healthy' | 'degraded' | 'down' | 'blocked' | 'unknown';

/**
 * Worst first, as the catalog ranks health (apps/catalog health.read-model.ts HEALTH_SEVERITY):
 * an endpoint that may not or cannot be reached is worse than one that works badly; not knowing
 * (never probed, or not probeable) sits between.
 */
const SEVERITY: Record<HealthStatus | 'unknown', number> = { blocked: 4, down: 3, unprobeable: 2, unknown: 2, degraded: 1, healthy: 0 };

export const severity = (status: HealthStatus | null): number => SEVERITY[status ?? 'unknown'];

export const apiStatus = (status: HealthStatus | null): ApiStatus => (status === null || status === 'unprobeable' ? 'unknown' : status);

export interface EndpointSummary {
  version: string;
  remoteUrl: string;
  transport: string;
  status: HealthStatus | null;
  reason: string;
  lastProbeAt: string | null;
  drift: { detected: boolean; baseline: 'approved' | 'declared' | null; tools: ToolDriftEntry[] } | null;
}

/** The worst endpoint decides the server's status and reason (null: none). */
export function worstEndpoint<T extends { status: HealthStatus | null }>(endpoints: readonly T[]): T | null {
  let worst: T | null = null;
  for (const endpoint of endpoints) if (worst === null || severity(endpoint.status) > severity(worst.status)) worst = endpoint;
  return worst;
}

/** Nearest-rank percentile of `values` (null when empty). */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Share of successful probes, 0..1, rounded to 4 places; null without probes. */
export function uptime(counts: { probes: number; ok: number }): number | null {
  return counts.probes === 0 ? null : Math.round((counts.ok / counts.probes) * 10_000) / 10_000;
}

/** Counts per status for the fleet summary: every status key present (0 when none). */
export function statusCounts(statuses: Iterable<HealthStatus | null>): Record<ApiStatus | 'unprobeable', number> {
  const counts: Record<ApiStatus | 'unprobeable', number> = { healthy: 0, degraded: 0, down: 0, blocked: 0, unprobeable: 0, unknown: 0 };
  for (const status of statuses) counts[status ?? 'unknown']++;
  return counts;
}
