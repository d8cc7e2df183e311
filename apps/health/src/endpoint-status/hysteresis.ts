import type { HealthStatus } from '@toolport/contracts';

/** One probe as the status rules see it. */
export interface ProbeOutcome {
  outcome: 'ok' | 'failed' | 'blocked';
  /** Total latency of the probe. */
  totalMs: number;
  /** Why it failed or was refused (empty for ok). */
  reason: string;
}

export interface StatusThresholds {
  /** A successful probe slower than this is `slow` (TOOLPORT_HEALTH_SLOW_MS). */
  slowMs: number;
  /** Consecutive failures that make an endpoint `down` (TOOLPORT_HEALTH_DOWN_AFTER). */
  downAfter: number;
  /** Consecutive successes that bring it back (TOOLPORT_HEALTH_UP_AFTER). */
  upAfter: number;
}

export interface StatusVerdict {
  status: HealthStatus | null;
  reason: string;
}

type Kind = 'fast' | 'slow' | 'failed' | 'blocked';

const kindOf = (probe: ProbeOutcome, t: StatusThresholds): Kind =>
  probe.outcome === 'ok' ? (probe.totalMs > t.slowMs ? 'slow' : 'fast') : probe.outcome;

/** How many of the newest probes in a row satisfy `test`. */
function run(recent: readonly Kind[], test: (kind: Kind) => boolean): number {
  let n = 0;
  while (n < recent.length && test(recent[n]!)) n++;
  return n;
}

/**
 * The status after the newest probe, with hysteresis (issue 6 "Status with hysteresis"). Pure.
 * `recent` is newest first and includes the probe just made; `current` is the status the last
 * HealthStatusChanged set (null: never probed).
 *
 * Going worse is quick, getting better is slow, so an endpoint does not flap:
 * - a refusal by the address guard is `blocked` at once (it is configuration, not chance);
 * - `downAfter` consecutive failures make it `down`;
 * - a single failure or a slow answer takes `healthy` to `degraded`;
 * - `degraded` needs `upAfter` consecutive fast answers to be `healthy` again, and `down` needs
 *   `upAfter` consecutive answers (fast: `healthy`, else `degraded`);
 * - a first probe (or the first after `blocked`/`unprobeable`) sets the status from what it saw,
 *   except that failures leave an unknown endpoint unknown until there are `downAfter` of them.
 */
export function nextStatus(current: HealthStatus | null, recent: readonly ProbeOutcome[], t: StatusThresholds): StatusVerdict {
  const newest = recent[0];
  if (!newest) return { status: current, reason: '' };
  const kinds = recent.map((p) => kindOf(p, t));
  const kind = kinds[0]!;
  const slow = `slow: ${Math.round(newest.totalMs)} ms > ${t.slowMs} ms`;

  if (kind === 'blocked') return { status: 'blocked', reason: newest.reason };

  if (kind === 'failed') {
    const failures = run(kinds, (k) => k === 'failed');
    if (failures >= t.downAfter) return { status: 'down', reason: `${failures} consecutive failed probes; last: ${newest.reason}` };
    const intermittent = `probe failed (${failures} of ${t.downAfter} before down): ${newest.reason}`;
    switch (current) {
      case null:
        return { status: null, reason: intermittent };
      case 'down':
        return { status: 'down', reason: `${failures} consecutive failed probes; last: ${newest.reason}` };
      default:
        return { status: 'degraded', reason: intermittent };
    }
  }

  // A successful probe, fast or slow.
  switch (current) {
    case 'healthy':
      return kind === 'fast' ? { status: 'healthy', reason: 'answers in time' } : { status: 'degraded', reason: slow };
    case 'degraded': {
      const fast = run(kinds, (k) => k === 'fast');
      if (fast >= t.upAfter) return { status: 'healthy', reason: `${fast} consecutive fast probes` };
      return { status: 'degraded', reason: kind === 'slow' ? slow : `recovering (${fast} of ${t.upAfter} fast probes)` };
    }
    case 'down': {
      const successes = run(kinds, (k) => k === 'fast' || k === 'slow');
      if (successes < t.upAfter) return { status: 'down', reason: `recovering (${successes} of ${t.upAfter} successful probes)` };
      const allFast = kinds.slice(0, t.upAfter).every((k) => k === 'fast');
      return allFast ? { status: 'healthy', reason: `back up: ${successes} consecutive successful probes` } : { status: 'degraded', reason: `back up but ${slow}` };
    }
    default:
      return kind === 'fast' ? { status: 'healthy', reason: 'answers in time' } : { status: 'degraded', reason: slow };
  }
}
