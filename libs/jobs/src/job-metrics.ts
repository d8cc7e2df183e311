import { counter, histogram } from '@toolport/observability';

/** Outcome of one run of a job: a retried failure is `retrying`, a final one `failed`. */
export type JobOutcome = 'completed' | 'retrying' | 'failed';

/*
 * Fetched through the observability helpers, which return the already registered metric: every
 * worker in the process (five services in the all-in-one launcher) shares these series.
 */
export function jobMetrics() {
  return {
    completed: counter('toolport_jobs_completed_total', 'Jobs whose handler succeeded.', ['queue']),
    failed: counter('toolport_jobs_failed_total', 'Failed job runs; final="false" runs will be retried.', ['queue', 'final']),
    stalled: counter('toolport_jobs_stalled_total', 'Jobs whose worker lost the lock (crashed or blocked) and were taken back.', ['queue']),
    duration: histogram(
      'toolport_job_duration_seconds',
      'Time a job handler ran, by outcome.',
      ['queue', 'outcome'],
      [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    ),
  };
}

export function recordJobRun(queue: string, outcome: JobOutcome, seconds: number): void {
  const metrics = jobMetrics();
  metrics.duration.observe({ queue, outcome }, seconds);
  if (outcome === 'completed') metrics.completed.inc({ queue });
  else metrics.failed.inc({ queue, final: outcome === 'failed' ? 'true' : 'false' });
}
