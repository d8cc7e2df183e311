/**
 * The jobs port: jobs say what to do (events say what happened). Producers depend on `JobQueue`;
 * the BullMQ adapter runs jobs for real and `SyncJobQueue` runs them inline in unit tests.
 */

export interface JobAddOptions {
  /**
   * Idempotency key: while a job with this id is kept (waiting, active, delayed, or finished and
   * not yet removed), adding another with the same id queues nothing and reports `created: false`.
   * See `assertJobId` for the allowed shape.
   */
  jobId?: string;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
}

export interface JobAddResult {
  id: string;
  /**
   * `false` when a job with the same `jobId` already existed: the existing job keeps ITS data and
   * is the one that runs; the data passed to this `add` was dropped.
   */
  created: boolean;
}

export interface JobQueue<T> {
  add(name: string, data: T, options?: JobAddOptions): Promise<JobAddResult>;
}

export interface QueuedJob<T> {
  id: string;
  name: string;
  data: T;
  /** 1 on the first run, 2 on the first retry... (a stalled run that is recovered keeps its number). */
  attempt: number;
}

export type JobHandler<T, R> = (job: QueuedJob<T>) => Promise<R>;

/** How often a failing job runs in all, and how long it waits before each retry. */
export interface RetryPolicy {
  /** Total runs including the first (1 = no retry). */
  attempts: number;
  /** Waits delayMs, 2*delayMs, 4*delayMs... between runs. */
  backoff: { type: 'exponential'; delayMs: number };
}

/**
 * Thrown by a handler for a job that can never succeed (bad input, a package that does not
 * exist): the job fails at once instead of burning its remaining attempts.
 */
export class UnrecoverableJobError extends Error {
  readonly code = 'UNRECOVERABLE_JOB';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnrecoverableJobError';
  }
}

/**
 * BullMQ refuses custom job ids that are integers (they would collide with its own counter ids)
 * or contain `:` (its Redis key separator). Both adapters check the same rule, so a unit test on
 * the in-memory twin fails where production would.
 */
export function assertJobId(jobId: string): string {
  if (jobId === '' || jobId.includes(':') || `${parseInt(jobId, 10)}` === jobId) {
    throw new Error(`job id "${jobId}" is invalid: use a non-empty string that is not an integer and has no ":"`);
  }
  return jobId;
}
