import {
  assertJobId,
  UnrecoverableJobError,
  type JobAddOptions,
  type JobAddResult,
  type JobHandler,
  type JobQueue,
} from './job-queue';

export type SyncJobStatus = 'waiting' | 'completed' | 'failed';

/** What happened to one job, for a test's assertions. */
export interface SyncJobRecord<T, R> {
  id: string;
  name: string;
  data: T;
  delayMs?: number;
  status: SyncJobStatus;
  /** How many times the handler ran. */
  runs: number;
  result?: R;
  /** One per failed run, in order. */
  errors: unknown[];
}

export interface SyncJobQueueOptions<T, R> {
  /** Total runs of a failing job, as RetryPolicy.attempts (default 1). Retries do not wait. */
  attempts?: number;
  handler?: JobHandler<T, R>;
}

/**
 * In-memory twin of the BullMQ adapter for unit tests of the code that enqueues and handles jobs.
 * `add` runs the handler at once and resolves after the job has completed or failed (a failing
 * job never makes `add` throw, as with a real queue). Same contract as the adapter: duplicate
 * `jobId` keeps the first job's data and reports `created: false`; data goes through JSON as it
 * would through Redis; UnrecoverableJobError stops the retries. `delayMs` is recorded, not waited.
 * Jobs added before a handler is registered stay `waiting` until `process`.
 */
export class SyncJobQueue<T, R = unknown> implements JobQueue<T> {
  private handler: JobHandler<T, R> | undefined;
  private readonly attempts: number;
  private readonly records = new Map<string, SyncJobRecord<T, R>>();
  private lastId = 0;

  constructor(options: SyncJobQueueOptions<T, R> = {}) {
    this.attempts = Math.max(1, options.attempts ?? 1);
    this.handler = options.handler;
  }

  /** Registers the handler and runs the jobs that were waiting for one. */
  async process(handler: JobHandler<T, R>): Promise<void> {
    this.handler = handler;
    for (const record of this.jobs.filter((job) => job.status === 'waiting')) await this.run(record, handler);
  }

  async add(name: string, data: T, options: JobAddOptions = {}): Promise<JobAddResult> {
    const id = options.jobId === undefined ? String(++this.lastId) : assertJobId(options.jobId);
    if (this.records.has(id)) return { id, created: false };

    const record: SyncJobRecord<T, R> = {
      id,
      name,
      data: viaJson(data),
      ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
      status: 'waiting',
      runs: 0,
      errors: [],
    };
    this.records.set(id, record);
    if (this.handler) await this.run(record, this.handler);
    return { id, created: true };
  }

  /** Every job added, in order. */
  get jobs(): SyncJobRecord<T, R>[] {
    return [...this.records.values()];
  }

  job(id: string): SyncJobRecord<T, R> | undefined {
    return this.records.get(id);
  }

  completed(): SyncJobRecord<T, R>[] {
    return this.jobs.filter((job) => job.status === 'completed');
  }

  failed(): SyncJobRecord<T, R>[] {
    return this.jobs.filter((job) => job.status === 'failed');
  }

  private async run(record: SyncJobRecord<T, R>, handler: JobHandler<T, R>): Promise<void> {
    while (record.runs < this.attempts) {
      record.runs += 1;
      try {
        record.result = await handler({ id: record.id, name: record.name, data: viaJson(record.data), attempt: record.runs });
        record.status = 'completed';
        return;
      } catch (error) {
        record.errors.push(error);
        if (error instanceof UnrecoverableJobError) break;
      }
    }
    record.status = 'failed';
  }
}

/** What a worker gets back from Redis: class instances lose their methods, Dates become strings. */
function viaJson<T>(data: T): T {
  return data === undefined ? data : (JSON.parse(JSON.stringify(data)) as T);
}
