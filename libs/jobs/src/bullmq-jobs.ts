import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { assertInstanceName, queuePrefix } from '@toolport/contracts';
import { createLogger, currentTraceparent, SpanKind, withSpan, type Logger } from '@toolport/observability';
import { Queue, UnrecoverableError, Worker, type Job as BullJob, type RedisOptions as BullRedisOptions } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { jobMetrics, recordJobRun } from './job-metrics';
import {
  assertJobId,
  UnrecoverableJobError,
  type JobAddOptions,
  type JobAddResult,
  type JobHandler,
  type JobQueue,
  type RetryPolicy,
} from './job-queue';

/** ioredis options, or a URL such as redis://127.0.0.1:6379/0. */
export type RedisConnection = RedisOptions | string;

/**
 * What is stored in Redis as the BullMQ job's data. `traceparent` carries the producer's trace to
 * the worker (BullMQ knows nothing of our tracing); `addId` is unique per `add` call, so `add` can
 * tell whether the job now in Redis is the one it just added or an older one with the same jobId.
 */
export interface JobEnvelope<T> {
  payload: T;
  traceparent: string | null;
  addId: string;
}

/*
 * Finished jobs are kept for a while rather than removed at once: the record is what makes a
 * repeated `add` with the same jobId a no-op (a scan already done is not redone by the
 * reconciler), and it lets `add` read back what it stored. Bounded so Redis does not grow forever.
 */
const KEEP_COMPLETED = { age: 24 * 3600, count: 10_000 };
const KEEP_FAILED = { age: 7 * 24 * 3600, count: 10_000 };

export interface JobQueueOptions {
  connection: RedisConnection;
  /** TOOLPORT_INSTANCE: the BullMQ key prefix is `queuePrefix(instance)`, so instances never share jobs. */
  instance: string;
  queueName: string;
  defaults: RetryPolicy;
  logger?: Logger;
}

export interface BullJobQueue<T> extends JobQueue<T> {
  readonly queueName: string;
  /** Closes the Redis connection once pending commands are done. */
  close(): Promise<void>;
}

export function createJobQueue<T>(options: JobQueueOptions): BullJobQueue<T> {
  const logger = (options.logger ?? createLogger({ service: 'jobs' })).child({ queue: options.queueName });
  const queue = new Queue<JobEnvelope<T>>(options.queueName, {
    connection: bullConnection(options.connection),
    prefix: queuePrefix(assertInstanceName(options.instance)),
    defaultJobOptions: {
      attempts: Math.max(1, options.defaults.attempts),
      backoff: { type: 'exponential', delay: options.defaults.backoff.delayMs },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    },
  });
  // An EventEmitter 'error' without a listener would crash the process; Redis outages surface
  // here (and as rejected `add` calls) instead.
  queue.on('error', (error) => logger.error({ err: error }, 'job queue connection error'));

  return {
    queueName: options.queueName,
    async add(name: string, data: T, addOptions: JobAddOptions = {}): Promise<JobAddResult> {
      const jobId = addOptions.jobId === undefined ? undefined : assertJobId(addOptions.jobId);
      const envelope: JobEnvelope<T> = { payload: data, traceparent: currentTraceparent(), addId: randomUUID() };
      const job = await queue.add(name, envelope, {
        ...(jobId === undefined ? {} : { jobId }),
        ...(addOptions.delayMs ? { delay: addOptions.delayMs } : {}),
      });
      const id = String(job.id);
      if (jobId === undefined) return { id, created: true };
      // With an existing jobId BullMQ adds nothing, yet returns a Job object holding OUR data
      // (STACK.md). Redis has the truth: the job is ours only if it carries our addId. If the job
      // is already gone we cannot prove it was ours, so we do not claim it.
      const stored = await queue.getJob(id);
      return { id, created: stored?.data?.addId === envelope.addId };
    },
    close: () => queue.close(),
  };
}

export interface JobWorkerOptions<T, R> {
  connection: RedisConnection;
  instance: string;
  queueName: string;
  handler: JobHandler<T, R>;
  /** Jobs run at the same time by this worker (default 1). */
  concurrency?: number;
  /**
   * How long a running job's lock lasts (default 30 s). The worker renews it every half of it
   * while the handler runs, so it only expires when the worker died or its event loop was blocked
   * that long.
   */
  lockDurationMs?: number;
  /**
   * How often this worker looks for active jobs whose lock expired (default 30 s) and puts them
   * back in the queue. A job of a crashed worker thus runs again after at most
   * lockDurationMs + stalledIntervalMs.
   */
  stalledIntervalMs?: number;
  /**
   * How many times a job may be taken back like that before it fails for good (default 1): a job
   * that crashes its worker every time must not crash the fleet forever.
   */
  maxStalledCount?: number;
  logger?: Logger;
}

export interface JobWorker {
  /** Resolves once connected to Redis. */
  ready(): Promise<void>;
  /**
   * Stops taking jobs and waits for the running ones to finish. `force` does not wait: running
   * jobs keep their lock until it expires and are then recovered by another worker.
   */
  close(options?: { force?: boolean }): Promise<void>;
}

export function createJobWorker<T, R>(options: JobWorkerOptions<T, R>): JobWorker {
  const { queueName, handler } = options;
  const logger = (options.logger ?? createLogger({ service: 'jobs' })).child({ queue: queueName });

  const processor = async (job: BullJob<JobEnvelope<T>, R>): Promise<R> => {
    if (!isEnvelope(job.data)) {
      throw new UnrecoverableError(`job ${job.id} was not added through @toolport/jobs (no envelope)`);
    }
    const envelope = job.data as JobEnvelope<T>;
    const attempt = job.attemptsMade + 1;
    const started = performance.now();
    try {
      const result = await withSpan(
        `job ${queueName}/${job.name}`,
        {
          parent: envelope.traceparent,
          kind: SpanKind.CONSUMER,
          attributes: {
            'messaging.system': 'bullmq',
            'messaging.destination.name': queueName,
            'messaging.message.id': String(job.id),
            'toolport.job.attempt': attempt,
          },
        },
        () => handler({ id: String(job.id), name: job.name, data: envelope.payload, attempt }),
      );
      recordJobRun(queueName, 'completed', (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      const unrecoverable = error instanceof UnrecoverableJobError;
      const final = unrecoverable || attempt >= (job.opts.attempts ?? 1);
      recordJobRun(queueName, final ? 'failed' : 'retrying', (performance.now() - started) / 1000);
      logger[final ? 'error' : 'warn'](
        { err: error, jobId: job.id, jobName: job.name, attempt, final },
        final ? 'job failed' : 'job failed, will retry',
      );
      if (unrecoverable) throw new UnrecoverableError(error.message);
      throw error;
    }
  };

  const worker = new Worker<JobEnvelope<T>, R>(queueName, processor, {
    // Workers block on Redis; BullMQ requires ioredis maxRetriesPerRequest: null for them.
    connection: { ...bullConnection(options.connection), maxRetriesPerRequest: null },
    prefix: queuePrefix(assertInstanceName(options.instance)),
    concurrency: options.concurrency ?? 1,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 1,
  });
  worker.on('error', (error) => logger.error({ err: error }, 'job worker error'));
  worker.on('stalled', (jobId) => {
    jobMetrics().stalled.inc({ queue: queueName });
    logger.warn({ jobId }, 'job stalled (its worker lost the lock); taken back');
  });

  return {
    ready: () => worker.waitUntilReady().then(() => undefined),
    close: (closeOptions = {}) => worker.close(closeOptions.force ?? false),
  };
}

function bullConnection(connection: RedisConnection): BullRedisOptions {
  return typeof connection === 'string' ? { url: connection } : { ...connection };
}

function isEnvelope(data: unknown): boolean {
  return typeof data === 'object' && data !== null && typeof (data as { addId?: unknown }).addId === 'string';
}
