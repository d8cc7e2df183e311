import { UnrecoverableJobError, type QueuedJob } from './job-queue';
import { SyncJobQueue } from './sync-job-queue';

interface ScanJob {
  versionId: string;
  requestedAt?: Date | string;
}

describe('SyncJobQueue', () => {
  it('runs the handler inside add and records the result', async () => {
    const seen: QueuedJob<ScanJob>[] = [];
    const queue = new SyncJobQueue<ScanJob, string>({
      handler: async (job) => {
        seen.push(job);
        return `scanned ${job.data.versionId}`;
      },
    });
    await expect(queue.add('scan', { versionId: 'v1' })).resolves.toEqual({ id: '1', created: true });
    await expect(queue.add('scan', { versionId: 'v2' }, { delayMs: 500 })).resolves.toEqual({ id: '2', created: true });
    expect(seen).toEqual([
      { id: '1', name: 'scan', data: { versionId: 'v1' }, attempt: 1 },
      { id: '2', name: 'scan', data: { versionId: 'v2' }, attempt: 1 },
    ]);
    expect(queue.completed().map((job) => job.result)).toEqual(['scanned v1', 'scanned v2']);
    expect(queue.job('2')).toMatchObject({ delayMs: 500, status: 'completed', runs: 1 });
  });

  it('keeps the first job for a repeated jobId and reports created:false; its data is what ran', async () => {
    const ran: string[] = [];
    const queue = new SyncJobQueue<ScanJob>({ handler: async (job) => void ran.push(job.data.versionId) });
    await expect(queue.add('scan', { versionId: 'original' }, { jobId: 'scan-v1' })).resolves.toEqual({ id: 'scan-v1', created: true });
    await expect(queue.add('scan', { versionId: 'replacement' }, { jobId: 'scan-v1' })).resolves.toEqual({ id: 'scan-v1', created: false });
    expect(ran).toEqual(['original']);
    expect(queue.jobs).toHaveLength(1);
    expect(queue.job('scan-v1')!.data).toEqual({ versionId: 'original' });
  });

  it('retries a failing job up to attempts, passing the attempt number', async () => {
    const attempts: number[] = [];
    const queue = new SyncJobQueue<ScanJob, string>({
      attempts: 3,
      handler: async (job) => {
        attempts.push(job.attempt);
        if (job.attempt < 3) throw new Error(`flaky ${job.attempt}`);
        return 'ok';
      },
    });
    await queue.add('scan', { versionId: 'v1' });
    expect(attempts).toEqual([1, 2, 3]);
    expect(queue.job('1')).toMatchObject({ status: 'completed', runs: 3, result: 'ok' });
    expect((queue.job('1')!.errors as Error[]).map((error) => error.message)).toEqual(['flaky 1', 'flaky 2']);
  });

  it('fails after the last attempt without making add throw', async () => {
    const queue = new SyncJobQueue<ScanJob>({ attempts: 2, handler: async () => Promise.reject(new Error('down')) });
    await expect(queue.add('scan', { versionId: 'v1' })).resolves.toEqual({ id: '1', created: true });
    expect(queue.failed()).toEqual([expect.objectContaining({ id: '1', runs: 2, status: 'failed' })]);
  });

  it('does not retry an UnrecoverableJobError', async () => {
    let runs = 0;
    const queue = new SyncJobQueue<ScanJob>({
      attempts: 5,
      handler: async () => {
        runs += 1;
        throw new UnrecoverableJobError('package does not exist');
      },
    });
    await queue.add('scan', { versionId: 'v1' });
    expect(runs).toBe(1);
    expect(queue.job('1')).toMatchObject({ status: 'failed', runs: 1 });
    expect(queue.job('1')!.errors[0]).toBeInstanceOf(UnrecoverableJobError);
  });

  it('passes data through JSON as Redis would, and keeps jobs waiting until a handler is registered', async () => {
    const queue = new SyncJobQueue<ScanJob>();
    await queue.add('scan', { versionId: 'v1', requestedAt: new Date('2025-01-02T03:04:05Z') });
    expect(queue.job('1')).toMatchObject({ status: 'waiting', runs: 0 });

    const received: ScanJob[] = [];
    await queue.process(async (job) => void received.push(job.data));
    expect(received).toEqual([{ versionId: 'v1', requestedAt: '2025-01-02T03:04:05.000Z' }]);
    expect(queue.job('1')!.status).toBe('completed');
  });

  it('rejects job ids BullMQ would reject', async () => {
    const queue = new SyncJobQueue<ScanJob>();
    await expect(queue.add('scan', { versionId: 'v1' }, { jobId: '42' })).rejects.toThrow(/not an integer/);
    await expect(queue.add('scan', { versionId: 'v1' }, { jobId: 'scan:v1' })).rejects.toThrow(/no ":"/);
    await expect(queue.add('scan', { versionId: 'v1' }, { jobId: '' })).rejects.toThrow(/invalid/);
    expect(queue.jobs).toEqual([]);
  });
});
