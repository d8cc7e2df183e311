import { queuePrefix } from '@toolport/contracts';
import { eventually, TEST_REDIS_URL } from '@toolport/testing';
import { Queue } from 'bullmq';
import { forecastTool, pushyTool } from '../__fixtures__/scan-tools';
import { startStallingWorker } from '../__fixtures__/stalling-worker';
import { ANON, ScannerTestEnv, serverJson } from '../__fixtures__/scanner-test-env';
import { buildService } from '@toolport/platform';
import { scannerAppModule } from '../app.module';
import { type ScanEngine, ToolportScanEngine } from '../scan-engine/scan-engine';
import { scannerService } from '../service';
import { SCAN_QUEUE } from './scan-job';
import { ScanPipelineLifecycle } from './scans.module';

// Redis is not the source of truth: losing it, or losing a worker mid-scan, loses no scan and
// scans nothing twice. Real publisher, scanner, Postgres, NATS and Redis; the killed worker is
// a real process holding a real BullMQ lock.
let env: ScannerTestEnv;
let queue: Queue;

const NO_WORKER = { TOOLPORT_SCANNER_WORKER: 'false', TOOLPORT_SCANNER_RECONCILE_INTERVAL_MS: '300' };

beforeAll(async () => {
  env = await ScannerTestEnv.start('scanreco', { scannerEnv: NO_WORKER });
  queue = new Queue(SCAN_QUEUE, { connection: { url: TEST_REDIS_URL }, prefix: queuePrefix(env.instance) });
}, 120_000);

afterAll(async () => {
  await queue?.close();
  await env?.close();
});

const jobsInRedis = async () => (await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'])).filter(Boolean);

it('recovers every scan after Redis lost its jobs: the periodic reconciler re-enqueues them, a worker completes each once', async () => {
  const names = ['a', 'b', 'c'].map((n) => `${ANON}/flushed-${n}`);
  for (const name of names) await env.publish(serverJson(name, '1.0.0', [forecastTool, pushyTool]));
  for (const name of names) await env.waitForScanEvents(name, '1.0.0', 'ScanRequested');
  // No worker runs yet: the three jobs wait in Redis.
  await eventually(async () => ((await queue.getWaitingCount()) === 3 ? true : undefined), { what: 'three waiting scan jobs', timeoutMs: 30_000 });

  expect(await env.flushQueueKeys()).toBeGreaterThan(0);
  expect(await queue.getWaitingCount()).toBe(0);
  // The running scanner's periodic pass puts them back, under the same job ids.
  await eventually(async () => ((await queue.getWaitingCount()) === 3 ? true : undefined), { what: 'the reconciler to re-enqueue three jobs', timeoutMs: 30_000 });

  // Flushed again, then a scanner with a worker starts: its start-up pass recovers them too.
  await env.stopScanner();
  await env.flushQueueKeys();
  await env.startScanner({ TOOLPORT_SCANNER_RECONCILE_INTERVAL_MS: '600000', TOOLPORT_SCANNER_STALLED_INTERVAL_MS: '500' });
  for (const name of names) {
    await env.waitForScanEvents(name, '1.0.0', 'ScanCompleted');
    expect((await env.scanEvents(name, '1.0.0')).map((e) => e.type)).toEqual(['ScanRequested', 'ScanCompleted']);
  }
  expect((await queue.getJobs(['completed'])).length).toBe(3);
});

it('retries the job of a worker killed mid-scan on another worker, which completes it once', async () => {
  await env.stopScanner();
  await env.startScanner(NO_WORKER);
  const stalling = startStallingWorker(TEST_REDIS_URL, queuePrefix(env.instance), 1000);
  try {
    const name = `${ANON}/killed-mid-scan`;
    await env.publish(serverJson(name, '1.0.0', [forecastTool]));
    const jobId = await stalling.active;
    expect((await queue.getJob(jobId))?.data.payload).toMatchObject({ serverName: name, version: '1.0.0', requestNumber: 1 });
    stalling.process.kill('SIGKILL');

    // A scanner with a worker finds the job whose lock expired and runs it.
    await env.stopScanner();
    await env.startScanner({ TOOLPORT_SCANNER_LOCK_MS: '1000', TOOLPORT_SCANNER_STALLED_INTERVAL_MS: '500', TOOLPORT_SCANNER_RECONCILE_INTERVAL_MS: '600000' });
    await env.waitForScanEvents(name, '1.0.0', 'ScanCompleted');
    await eventually(async () => ((await queue.getJobState(jobId)) === 'completed' ? true : undefined), { what: 'the recovered job to complete', timeoutMs: 30_000 });
    // Read after it completed: a Job object holds the fields as they were when it was fetched.
    const job = await queue.getJob(jobId);
    expect(job!.stalledCounter).toBe(1);
    expect(job!.returnvalue).toBe('completed');
    expect((await env.scanEvents(name, '1.0.0')).map((e) => e.type)).toEqual(['ScanRequested', 'ScanCompleted']);
    expect((await jobsInRedis()).filter((j) => j.data.payload.serverName === name)).toHaveLength(1);
  } finally {
    if (stalling.process.exitCode === null && stalling.process.signalCode === null) stalling.process.kill('SIGKILL');
  }
});

it('two replicas reconciling at once request one rules-changed rescan per version between them', async () => {
  const real = new ToolportScanEngine();
  const newer: ScanEngine = { rulesVersion: `${real.rulesVersion}+replicas-2`, scan: async (target, signal) => ({ ...(await real.scan(target, signal)), rulesVersion: newer.rulesVersion }) };
  await env.stopScanner();
  const replica = () =>
    buildService(
      { ...scannerService, module: (runtime, config) => scannerAppModule(runtime, config, { engine: newer }) },
      scannerService.loadConfig({ ...env.env, TOOLPORT_SCANNER_WORKER: 'false', TOOLPORT_SCANNER_RECONCILE_INTERVAL_MS: '600000' }),
    );
  const [a, b] = await Promise.all([replica(), replica()]);
  try {
    // Each ran a pass at start; two more passes at once on top.
    await Promise.all([a.app.get(ScanPipelineLifecycle).reconcileNow(), b.app.get(ScanPipelineLifecycle).reconcileNow()]);
    const names = [...['a', 'b', 'c'].map((n) => `${ANON}/flushed-${n}`), `${ANON}/killed-mid-scan`];
    for (const name of names) {
      const requests = (await env.scanEvents(name, '1.0.0')).filter((e) => e.type === 'ScanRequested');
      expect(requests.map((e) => [e.data.reason, e.data.rulesVersion])).toEqual([
        ['published', real.rulesVersion],
        ['rules-changed', newer.rulesVersion],
      ]);
    }
  } finally {
    await a.app.close();
    await b.app.close();
  }
});
