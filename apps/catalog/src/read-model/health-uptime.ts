import type { HealthStatus } from '@toolport/contracts';

/**
 * Uptime of a remote, from HealthStatusChanged alone. The health service appends that event only
 * when a remote's status moves (hysteresis, apps/health endpoint.decide.ts): not per probe and
 * not as a periodic re-announcement. So a remote spent all the time from one event's `checkedAt`
 * to the next one's in the status the first one set, and has been in its current status since its
 * last event. The read model sums the closed intervals (event times only, so a rebuild writes the
 * same row as the live projection); the open one, up to the clock, is added when answering.
 *
 * What counts: `healthy` and `degraded` (it works, slowly or with the odd failure) are up; `down`
 * and `blocked` (the outbound address policy refuses it: nobody here can use it) are not;
 * `unprobeable` says nothing about the server (the prober lacks its credentials), so that time is
 * left out of both sides of the ratio.
 */
const UP: ReadonlySet<HealthStatus> = new Set<HealthStatus>(['healthy', 'degraded']);
const KNOWN: ReadonlySet<HealthStatus> = new Set<HealthStatus>(['healthy', 'degraded', 'down', 'blocked']);

/** The closed intervals of one remote, summed: what the read model stores next to its status. */
export interface UptimeAccount {
  /** The remote's first status change: uptime counts from here. */
  observedSince: string;
  /** Milliseconds from `observedSince` to the remote's last event spent up. */
  upMs: number;
  /** Milliseconds from `observedSince` to the remote's last event spent in a known status (not `unprobeable`). */
  knownMs: number;
}

/** A remote as uptime sees it: its account and the status it has been in since `checkedAt` (its last event). */
export interface RemoteUptime extends UptimeAccount {
  status: HealthStatus;
  checkedAt: string;
}

/** `_meta["io.toolport/health"].uptime`: the share of the time since `since` that the remote was up. */
export interface Uptime {
  ratio: number;
  since: string;
}

export const startAccount = (observedSince: string): UptimeAccount => ({ observedSince, upMs: 0, knownMs: 0 });

/** The account after `ms` more spent in `status` (negative `ms`, a clock running backwards, adds nothing). */
export function accrue(account: UptimeAccount, status: HealthStatus, ms: number): UptimeAccount {
  const spent = Math.max(0, ms);
  return {
    observedSince: account.observedSince,
    upMs: account.upMs + (UP.has(status) ? spent : 0),
    knownMs: account.knownMs + (KNOWN.has(status) ? spent : 0),
  };
}

/** As the health service rounds its own uptime figures (4 places). */
const rounded = (ratio: number): number => Math.round(ratio * 10_000) / 10_000;

/**
 * The remote's uptime at `now`: its stored account plus the time since its last event in its
 * current status. null when there is nothing to go by (only ever `unprobeable`).
 */
export function remoteUptime(remote: RemoteUptime, now: Date): Uptime | null {
  const { upMs, knownMs } = accrue(remote, remote.status, now.getTime() - Date.parse(remote.checkedAt));
  if (knownMs > 0) return { ratio: rounded(upMs / knownMs), since: remote.observedSince };
  // No known time yet (its first event is this instant, or the clock is behind the event time):
  // the ratio over a window shrinking to nothing tends to the current status.
  if (!KNOWN.has(remote.status)) return null;
  return { ratio: UP.has(remote.status) ? 1 : 0, since: remote.observedSince };
}

/**
 * A version's uptime: its least available remote's (as its status is the worst over the remotes),
 * the earlier `since` on a tie. null when no remote has one (never probed, or stdio only).
 */
export function versionUptime(remotes: Iterable<RemoteUptime>, now: Date): Uptime | null {
  let lowest: Uptime | null = null;
  for (const remote of remotes) {
    const uptime = remoteUptime(remote, now);
    if (uptime === null) continue;
    if (lowest === null || uptime.ratio < lowest.ratio || (uptime.ratio === lowest.ratio && Date.parse(uptime.since) < Date.parse(lowest.since))) lowest = uptime;
  }
  return lowest;
}
