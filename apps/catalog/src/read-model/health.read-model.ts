import type { HealthStatus } from '@toolport/contracts';
import type { HealthCatalogEvent } from './catalog-events';
import { accrue, startAccount, type UptimeAccount } from './health-uptime';

/** One remote as of its last HealthStatusChanged (`checkedAt`), with its uptime account (health-uptime.ts). */
export interface RemoteHealth extends UptimeAccount {
  status: HealthStatus;
  reason: string;
  latencyMs: number | null;
  checkedAt: string;
}

/** A remote as stored in `version_health.remotes`: rows written before uptime was kept lack its account. */
export type StoredRemoteHealth = Omit<RemoteHealth, keyof UptimeAccount> & Partial<UptimeAccount>;

/**
 * A stored remote with an account. One from before uptime was kept starts its account at its last
 * event: right from then on, without the time before it (`npm run catalog:rebuild` recovers that
 * from the events), and no migration rewrites every row.
 */
export function remoteHealthOf(stored: StoredRemoteHealth): RemoteHealth {
  if (stored.observedSince !== undefined && stored.upMs !== undefined && stored.knownMs !== undefined) return stored as RemoteHealth;
  return { ...stored, ...startAccount(stored.checkedAt) };
}

export interface ToolDrift {
  remoteUrl: string;
  detectedAt: string;
  added: string[];
  removed: string[];
  changed: string[];
  approvedToolListHash: string;
  observedToolListHash: string;
}

/** A version's row in `version_health`: per-remote status and the last tool drift seen. */
export interface HealthState {
  /** By remote URL. */
  remotes: Record<string, RemoteHealth>;
  /** The worst status over the remotes. */
  status: HealthStatus | null;
  /** The latest check over the remotes. */
  checkedAt: string | null;
  drift: ToolDrift | null;
}

/**
 * Worst first, in the order search ranks health (search/search-ranking.ts), so "worst over the
 * remotes" and ranking agree: `blocked` (the endpoint may not be contacted at all: the outbound
 * address policy refused it) and `down` cannot be used; `unprobeable` is unknown (the endpoint
 * needs credentials the prober lacks); `degraded` works, badly.
 */
export const HEALTH_SEVERITY: Readonly<Record<HealthStatus, number>> = { blocked: 4, down: 3, unprobeable: 2, degraded: 1, healthy: 0 };

export function worstHealth(statuses: Iterable<HealthStatus>): HealthStatus | null {
  let worst: HealthStatus | null = null;
  for (const status of statuses) if (worst === null || HEALTH_SEVERITY[status] > HEALTH_SEVERITY[worst]) worst = status;
  return worst;
}

export const initialHealthState = (): HealthState => ({ remotes: {}, status: null, checkedAt: null, drift: null });

export function evolveHealth(state: HealthState | null, event: HealthCatalogEvent): HealthState {
  const current = state ?? initialHealthState();
  switch (event.type) {
    case 'HealthStatusChanged': {
      const { data } = event;
      const previous = current.remotes[data.remoteUrl];
      // Older than the remote's last change: a state already superseded (a replayed or late event).
      // Applied, it would turn the status back and make the remote's time run backwards; the time
      // it stood for stays with the status the remote had then. Equal times apply in stream order.
      if (previous !== undefined && Date.parse(data.checkedAt) < Date.parse(previous.checkedAt)) return current;
      // The remote spent the time since its previous change in the status that change set.
      const account = previous === undefined ? startAccount(data.checkedAt) : accrue(previous, previous.status, Date.parse(data.checkedAt) - Date.parse(previous.checkedAt));
      const remote: RemoteHealth = { status: data.status, reason: data.reason, latencyMs: data.latencyMs, checkedAt: data.checkedAt, ...account };
      const remotes = { ...current.remotes, [data.remoteUrl]: remote };
      const checked = Object.values(remotes).map((r) => r.checkedAt);
      return {
        ...current,
        remotes,
        status: worstHealth(Object.values(remotes).map((r) => r.status)),
        checkedAt: checked.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a)),
      };
    }
    case 'ToolDriftDetected': {
      const { data } = event;
      return {
        ...current,
        drift: {
          remoteUrl: data.remoteUrl,
          detectedAt: data.detectedAt,
          added: data.added,
          removed: data.removed,
          changed: data.changed,
          approvedToolListHash: data.approvedToolListHash,
          observedToolListHash: data.observedToolListHash,
        },
      };
    }
  }
}

/**
 * Whether the drift still stands: no event clears a drift, but an approval decided after it
 * was detected approved the tools as they are now (the health service compares against the
 * latest approved tool list from then on). Both times are event times, so the answer does not
 * depend on which stream the catalog applied first.
 */
export function driftActive(drift: Pick<ToolDrift, 'detectedAt'> | null, approval: { approval: string; approvalAt: string | null } | null): boolean {
  if (drift === null) return false;
  if (approval?.approval === 'approved' && approval.approvalAt !== null && Date.parse(approval.approvalAt) >= Date.parse(drift.detectedAt)) return false;
  return true;
}
