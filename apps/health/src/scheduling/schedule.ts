import { createHash } from 'node:crypto';
import type { HealthStatus } from '@toolport/contracts';

/** The BullMQ queue of probe jobs (prefixed by the instance). */
export const PROBE_QUEUE = 'health-probes';
export const PROBE_JOB = 'probe';

/**
 * A target's place within the interval, in [1, every): deterministic, so every replica computes
 * the same scheduler and targets published together are spread over the interval instead of all
 * probed in the same second (the jitter the issue asks for, without randomness that would make
 * two replicas disagree).
 */
export function scheduleOffset(targetId: string, every: number): number {
  const n = createHash('sha256').update(targetId).digest().readUInt32BE(0);
  return every <= 1 ? 1 : 1 + (n % (every - 1));
}

/** A down target is probed less often (backoff); anything else at the normal interval. */
export function intervalFor(status: HealthStatus | null, settings: { intervalMs: number; downIntervalMs: number }): number {
  return status === 'down' ? settings.downIntervalMs : settings.intervalMs;
}

/**
 * The scheduled time of a job made by a job scheduler: BullMQ names those jobs
 * `repeat:<schedulerId>:<slot millis>` (addJobScheduler-11.lua); null for any other id.
 */
export function slotOfJobId(jobId: string | undefined): number | null {
  const match = /^repeat:.+:(\d+)$/.exec(jobId ?? '');
  return match ? Number(match[1]) : null;
}

export interface SchedulerState {
  key: string;
  every: number | null;
  offset: number | null;
}

export interface DesiredSchedule {
  targetId: string;
  every: number;
  offset: number;
}

/** What to upsert and what to remove so the schedulers match the desired set. Pure. */
export function schedulerDiff(desired: readonly DesiredSchedule[], existing: readonly SchedulerState[]): { upsert: DesiredSchedule[]; remove: string[] } {
  const have = new Map(existing.map((s) => [s.key, s]));
  const want = new Set(desired.map((d) => d.targetId));
  return {
    upsert: desired.filter((d) => {
      const current = have.get(d.targetId);
      return !current || current.every !== d.every || current.offset !== d.offset;
    }),
    remove: existing.filter((s) => !want.has(s.key)).map((s) => s.key),
  };
}
