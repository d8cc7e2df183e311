import { trace } from '@opentelemetry/api';
import { queuePrefix } from '@toolport/contracts';
import { createLogger, createTestTracing, renderMetrics, SpanKind, withSpan, type TestTracing } from '@toolport/observability';
import { TEST_REDIS_URL, testInstanceName } from '@toolport/testing';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { createJobQueue, createJobWorker, type BullJobQueue, type JobWorker, type JobWorkerOptions } from './bullmq-jobs';
import { UnrecoverableJobError, type QueuedJob, type RetryPolicy } from './job-queue';

interface ScanJob {
  versionId: string;
}

const instance = testInstanceName('jobs');
const logLines: Record<string, unknown>[] = [];
const logger = createLogger({
  service: 'jobs-int',
  level: 'debug',
  destination: { write: (line: string) => logLines.push(JSON.parse(line) as Record<string, unknown>) },
});
const NO_RETRY: RetryPolicy = { attempts: 1, backoff: { type: 'exponential', delayMs: 100 } };

const queueNames = new Set<string>();
const queues: BullJobQueue<ScanJob>[] = [];
const workers: JobWorker[] = [];
let tracing: TestTracing;

function queue(queueName: string, defaults: RetryPolicy = NO_RETRY): BullJobQueue<ScanJob> {
  queueNames.add(queueName);
  const created = createJobQueue<ScanJob>({ connection: TEST_REDIS_URL, instance, queueName, defaults, logger });
  queues.push(created);
  return created;
}

function worker<R>(options: Omit<JobWorkerOptions<ScanJob, R>, 'connection' | 'instance' | 'logger'>): JobWorker {
  const created = createJobWorker<ScanJob, R>({ connection: TEST_REDIS_URL, instance, logger, ...options });
  workers.push(created);
  return created;
}

/** Looks at Redis directly, as an operator would, independent of the adapter under test. */
function inspect(queueName: string): Queue {
  return new Queue(queueName, { connection: { url: TEST_REDIS_URL }, prefix: queuePrefix(instance) });
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function stateOf(queueName: string, jobId: string): Promise<string> {
  const admin = inspect(queueName);
  try {
    return await admin.getJobState(jobId);
  } finally {
    await admin.close();
  }
}

beforeAll(() => {
  tracing = createTestTracing();
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close({ force: true })));
  await Promise.all(queues.map((q) => q.close()));
  for (const name of queueNames) {
    const admin = inspect(name);
    await admin.obliterate({ force: true });
    await admin.close();
  }
  const redis = new Redis(TEST_REDIS_URL);
  const leftovers = await redis.keys(`${queuePrefix(instance)}:*`);
  if (leftovers.length > 0) await redis.del(...leftovers);
  await redis.quit();
  await tracing.shutdown();
});

describe('BullMQ jobs against the real Redis', () => {
  it('runs a job with its data under the instance prefix and counts it', async () => {
    const jobs = queue('basic');
    const seen: QueuedJob<ScanJob>[] = [];
    worker({ queueName: 'basic', handler: async (job) => (seen.push(job), `scanned ${job.data.versionId}`) });

    const added = await jobs.add('scan', { versionId: 'v1' });
    expect(added.created).toBe(true);
    await waitFor(() => seen.length === 1, 'the job to run');
    expect(seen[0]).toEqual({ id: added.id, name: 'scan', data: { versionId: 'v1' }, attempt: 1 });

    await waitFor(async () => (await stateOf('basic', added.id)) === 'completed', 'completion');
    const redis = new Redis(TEST_REDIS_URL);
    expect(await redis.exists(`${queuePrefix(instance)}:basic:${added.id}`)).toBe(1);
    await redis.quit();
    const { body } = await renderMetrics();
    expect(body).toContain('toolport_jobs_completed_total{queue="basic"} 1');
    expect(body).toMatch(/toolport_job_duration_seconds_count\{queue="basic",outcome="completed"\} 1/);
  });

  it('collapses a repeated jobId: created:false, and the ORIGINAL data is what runs', async () => {
    const jobs = queue('dedupe');
    await expect(jobs.add('scan', { versionId: 'original' }, { jobId: 'scan-v1' })).resolves.toEqual({ id: 'scan-v1', created: true });
    await expect(jobs.add('scan', { versionId: 'replacement' }, { jobId: 'scan-v1' })).resolves.toEqual({ id: 'scan-v1', created: false });

    const ran: string[] = [];
    worker({ queueName: 'dedupe', handler: async (job) => void ran.push(job.data.versionId) });
    await waitFor(async () => (await stateOf('dedupe', 'scan-v1')) === 'completed', 'completion');
    expect(ran).toEqual(['original']);

    // A finished job is kept, so the same jobId is still a no-op afterwards.
    await expect(jobs.add('scan', { versionId: 'late' }, { jobId: 'scan-v1' })).resolves.toEqual({ id: 'scan-v1', created: false });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ran).toEqual(['original']);
  });

  it('retries with exponential backoff, then succeeds', async () => {
    const jobs = queue('retry', { attempts: 3, backoff: { type: 'exponential', delayMs: 200 } });
    const runs: { attempt: number; at: number }[] = [];
    worker({
      queueName: 'retry',
      handler: async (job) => {
        runs.push({ attempt: job.attempt, at: Date.now() });
        if (job.attempt < 3) throw new Error(`flaky ${job.attempt}`);
        return 'ok';
      },
    });
    const { id } = await jobs.add('scan', { versionId: 'v1' });
    await waitFor(async () => (await stateOf('retry', id)) === 'completed', 'completion after retries');
    expect(runs.map((run) => run.attempt)).toEqual([1, 2, 3]);
    // BullMQ's exponential backoff: delay * 2^(attempts made - 1), so 200 ms then 400 ms.
    expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(190);
    expect(runs[2]!.at - runs[1]!.at).toBeGreaterThanOrEqual(390);
    expect(logLines.filter((line) => line['queue'] === 'retry' && line['msg'] === 'job failed, will retry')).toHaveLength(2);
    expect((await renderMetrics()).body).toContain('toolport_jobs_failed_total{queue="retry",final="false"} 2');
  });

  it('does not retry a job whose handler throws UnrecoverableJobError', async () => {
    const jobs = queue('unrecoverable', { attempts: 5, backoff: { type: 'exponential', delayMs: 50 } });
    let runs = 0;
    worker({
      queueName: 'unrecoverable',
      handler: async () => {
        runs += 1;
        throw new UnrecoverableJobError('package does not exist');
      },
    });
    const { id } = await jobs.add('scan', { versionId: 'v1' });
    await waitFor(async () => (await stateOf('unrecoverable', id)) === 'failed', 'the job to fail');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runs).toBe(1);
    const admin = inspect('unrecoverable');
    const job = await admin.getJob(id);
    await admin.close();
    expect(job!.failedReason).toBe('package does not exist');
    expect((await renderMetrics()).body).toContain('toolport_jobs_failed_total{queue="unrecoverable",final="true"} 1');
  });

  it('recovers the job of a worker that died mid-job on another worker', async () => {
    const jobs = queue('stalled');
    const intervals = { lockDurationMs: 1000, stalledIntervalMs: 300, maxStalledCount: 1 };
    let startedOnFirst = false;
    const first = worker({
      queueName: 'stalled',
      ...intervals,
      // Never finishes: the worker "dies" below while this runs.
      handler: () => {
        startedOnFirst = true;
        return new Promise<never>(() => undefined);
      },
    });
    const { id } = await jobs.add('scan', { versionId: 'v-crash' });
    await waitFor(() => startedOnFirst, 'the first worker to take the job');
    await first.close({ force: true }); // stops renewing the lock, like a crashed process

    const recovered: QueuedJob<ScanJob>[] = [];
    worker({ queueName: 'stalled', ...intervals, handler: async (job) => void recovered.push(job) });
    await waitFor(async () => (await stateOf('stalled', id)) === 'completed', 'recovery by the second worker');
    expect(recovered).toEqual([{ id, name: 'scan', data: { versionId: 'v-crash' }, attempt: 1 }]);
    expect((await renderMetrics()).body).toContain('toolport_jobs_stalled_total{queue="stalled"} 1');
  });

  it('continues the trace of the code that added the job inside the handler', async () => {
    const jobs = queue('traced');
    const handlerTrace: string[] = [];
    worker({
      queueName: 'traced',
      handler: async () => void handlerTrace.push(trace.getActiveSpan()!.spanContext().traceId),
    });
    const request = await withSpan('POST /v0/publish', { kind: SpanKind.SERVER }, async (span) => {
      await jobs.add('scan', { versionId: 'v-traced' });
      return span.spanContext();
    });
    await waitFor(() => handlerTrace.length === 1, 'the traced job to run');
    expect(handlerTrace[0]).toBe(request.traceId);

    await waitFor(() => tracing.spans().some((span) => span.name === 'job traced/scan'), 'the job span to end');
    const jobSpan = tracing.spans().find((span) => span.name === 'job traced/scan')!;
    expect(jobSpan.kind).toBe(SpanKind.CONSUMER);
    expect(jobSpan.parentSpanContext?.spanId).toBe(request.spanId);
    expect(jobSpan.attributes['messaging.destination.name']).toBe('traced');
  });

  it('closes a worker gracefully: close waits for the running job', async () => {
    const jobs = queue('graceful');
    let release!: () => void;
    let started = false;
    let finished = false;
    const graceful = worker({
      queueName: 'graceful',
      handler: async () => {
        started = true;
        await new Promise<void>((resolve) => (release = resolve));
        finished = true;
      },
    });
    const { id } = await jobs.add('scan', { versionId: 'v1' });
    await waitFor(() => started, 'the job to start');
    const closing = graceful.close();
    setTimeout(() => release(), 200);
    await closing;
    expect(finished).toBe(true);
    expect(await stateOf('graceful', id)).toBe('completed');
  });
});
