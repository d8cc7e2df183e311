import { queuePrefix } from '@toolport/contracts';
import { eventually, TEST_REDIS_URL } from '@toolport/testing';
import { Queue } from 'bullmq';
import { forecastTool } from '../__fixtures__/scan-tools';
import { ANON, ScannerTestEnv, serverJson } from '../__fixtures__/scanner-test-env';
import { type ScanEngine, type ScanTarget, ToolportScanEngine } from '../scan-engine/scan-engine';
import { SCAN_QUEUE } from './scan-job';
import { ScanPipelineLifecycle } from './scans.module';

/**
 * The real engine, except for versions whose name says how fetching their artifact fails, the
 * way the artifact fetchers fail: `retryable: true` for a registry that answers 503, a plain
 * error for a package that does not exist, or a fetch that hangs until the job times out.
 */
class FailingFetchEngine implements ScanEngine {
  private readonly real = new ToolportScanEngine();
  readonly rulesVersion = this.real.rulesVersion;
  readonly calls = new Map<string, number>();

  async scan(target: ScanTarget, signal: AbortSignal) {
    this.calls.set(target.serverName, (this.calls.get(target.serverName) ?? 0) + 1);
    if (target.serverName.endsWith('/registry-down')) throw Object.assign(new Error('registry answered 503'), { retryable: true });
    if (target.serverName.endsWith('/no-such-package')) throw Object.assign(new Error('package not found (404)'), { retryable: false });
    if (target.serverName.endsWith('/hangs')) {
      await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
    }
    return this.real.scan(target, signal);
  }
}

let env: ScannerTestEnv;
let queue: Queue;
const engine = new FailingFetchEngine();

beforeAll(async () => {
  env = await ScannerTestEnv.start('scanfail', {
    engine,
    scannerEnv: { TOOLPORT_SCANNER_ATTEMPTS: '3', TOOLPORT_SCANNER_BACKOFF_MS: '20', TOOLPORT_SCANNER_JOB_TIMEOUT_MS: '300' },
  });
  queue = new Queue(SCAN_QUEUE, { connection: { url: TEST_REDIS_URL }, prefix: queuePrefix(env.instance) });
}, 120_000);

afterAll(async () => {
  await queue?.close();
  await env?.close();
});

it('retries a retryable failure with backoff and records ScanFailed(retryable) after the last attempt', async () => {
  const name = `${ANON}/registry-down`;
  await env.publish(serverJson(name, '1.0.0', [forecastTool]));
  const [failed] = await env.waitForScanEvents(name, '1.0.0', 'ScanFailed');
  expect(failed!.data).toMatchObject({ retryable: true, requestNumber: 1 });
  expect(failed!.data.reason).toMatch(/registry answered 503 \(after 3 attempts\)/);
  expect(engine.calls.get(name)).toBe(3);
});

it('records a non-retryable failure at once, without retrying', async () => {
  const name = `${ANON}/no-such-package`;
  await env.publish(serverJson(name, '1.0.0', [forecastTool]));
  const [failed] = await env.waitForScanEvents(name, '1.0.0', 'ScanFailed');
  expect(failed!.data).toMatchObject({ retryable: false, reason: 'package not found (404)' });
  expect(engine.calls.get(name)).toBe(1);
  const scan = await env.request({ method: 'GET', url: `/api/v1/scans/${encodeURIComponent(name)}/1.0.0`, headers: { authorization: `Bearer ${await env.tokenWithRoles('rita', ['reviewer'])}` } });
  expect(scan.json()).toMatchObject({ status: 'failed', failure: { retryable: false }, trustLevel: null });
});

it('aborts a scan that runs past the job timeout and treats it as retryable', async () => {
  const name = `${ANON}/hangs`;
  await env.publish(serverJson(name, '1.0.0', [forecastTool]));
  const [failed] = await env.waitForScanEvents(name, '1.0.0', 'ScanFailed');
  expect(failed!.data).toMatchObject({ retryable: true });
  expect(failed!.data.reason).toMatch(/timed out after 300 ms/);
  expect(engine.calls.get(name)).toBe(3);
});

it('refuses to rescan a deleted version', async () => {
  const name = `${ANON}/deleted`;
  await env.publish(serverJson(name, '1.0.0', [forecastTool]));
  await env.waitForScanEvents(name, '1.0.0', 'ScanCompleted');
  await env.setStatus(name, '1.0.0', 'deleted');
  // Wait for the scanner's own projection of the deletion, then ask once: asking in a loop until
  // a 409 let an early request (before the projection caught up) start a real rescan, which a
  // later test then found (CI, stop 10).
  await eventually(
    async () => {
      const { rows } = await env.pool.query<{ status: string }>(`SELECT status FROM ${env.scannerSchema}.scan_versions WHERE server_name = $1 AND version = '1.0.0'`, [name]);
      return rows[0]?.status === 'deleted' ? true : undefined;
    },
    { what: 'the scanner to see the deletion', timeoutMs: 30_000 },
  );
  const reviewer = await env.tokenWithRoles('rita', ['reviewer']);
  const rescan = await env.request({ method: 'POST', url: `/api/v1/scans/${encodeURIComponent(name)}/1.0.0/rescan`, headers: { authorization: `Bearer ${reviewer}` } });
  expect(rescan.statusCode).toBe(409);
  expect((await env.scanEvents(name, '1.0.0')).map((e) => e.type)).toEqual(['ScanRequested', 'ScanCompleted']);
  expect(rescan.headers['content-type']).toContain('application/problem+json');
});

it('rescans every version that is not deleted when the rules version changes, once', async () => {
  const real = new ToolportScanEngine();
  const newer: ScanEngine = { rulesVersion: `${real.rulesVersion}+test-2`, scan: async (target, signal) => ({ ...(await real.scan(target, signal)), rulesVersion: newer.rulesVersion }) };
  await env.stopScanner();
  await env.startScanner({ TOOLPORT_SCANNER_RECONCILE_INTERVAL_MS: '200' }, newer);
  for (const name of ['registry-down', 'no-such-package', 'hangs'].map((n) => `${ANON}/${n}`)) {
    const [completed] = await env.waitForScanEvents(name, '1.0.0', 'ScanCompleted');
    expect(completed!.data).toMatchObject({ rulesVersion: newer.rulesVersion, requestNumber: 2 });
    const requests = (await env.scanEvents(name, '1.0.0')).filter((e) => e.type === 'ScanRequested');
    expect(requests.map((e) => e.data.reason)).toEqual(['published', 'rules-changed']);
  }
  // Several reconciler passes later, still one rules-changed request each, and none for the deleted version.
  await env.scanner.get(ScanPipelineLifecycle).reconcileNow();
  expect((await env.scanEvents(`${ANON}/deleted`, '1.0.0')).map((e) => e.type)).toEqual(['ScanRequested', 'ScanCompleted']);
  expect((await env.scanEvents(`${ANON}/hangs`, '1.0.0')).filter((e) => e.type === 'ScanRequested')).toHaveLength(2);
});

it('requests a retryably failed scan again once it is old enough, until the limit in a row, and completes it when the registry is back', async () => {
  // A registry answering 503 (retryable, as the fetchers report it): to the first fetch of one
  // package, and to every fetch of the other. Same rules version as the test before (no rescans).
  const real = new ToolportScanEngine();
  const flakyName = `${ANON}/registry-flaky`;
  const goneName = `${ANON}/registry-gone`;
  let flakyCalls = 0;
  const flaky: ScanEngine = {
    rulesVersion: `${real.rulesVersion}+test-2`,
    scan: async (target, signal) => {
      if (target.serverName === flakyName) flakyCalls++;
      if (target.serverName === goneName || (target.serverName === flakyName && flakyCalls === 1)) throw Object.assign(new Error('registry answered 503'), { retryable: true });
      return { ...(await real.scan(target, signal)), rulesVersion: flaky.rulesVersion };
    },
  };
  await env.stopScanner();
  await env.startScanner(
    { TOOLPORT_SCANNER_ATTEMPTS: '1', TOOLPORT_SCANNER_RECONCILE_INTERVAL_MS: '200', TOOLPORT_SCANNER_RETRY_FAILED_AFTER_MS: '300', TOOLPORT_SCANNER_RETRY_FAILED_LIMIT: '2' },
    flaky,
  );
  await env.publish(serverJson(flakyName, '1.0.0', [forecastTool]));
  await env.publish(serverJson(goneName, '1.0.0', [forecastTool]));
  // The registry is back for one of them: its automatic retry completes.
  const [completed] = await env.waitForScanEvents(flakyName, '1.0.0', 'ScanCompleted');
  expect(completed!.data).toMatchObject({ requestNumber: 2 });
  const reasons = async (name: string) => (await env.scanEvents(name, '1.0.0')).filter((e) => e.type === 'ScanRequested').map((e) => e.data.reason);
  expect(await reasons(flakyName)).toEqual(['published', 'retry']);
  // The other stays down: two retries in a row, then it waits for a reviewer.
  await eventually(async () => ((await reasons(goneName)).length === 3 ? true : undefined), { what: 'two automatic retries', timeoutMs: 30_000 });
  const scanner = env.scanner.get(ScanPipelineLifecycle);
  await new Promise((resolve) => setTimeout(resolve, 500));
  await scanner.reconcileNow();
  await scanner.reconcileNow();
  expect(await reasons(goneName)).toEqual(['published', 'retry', 'retry']);
  const events = await env.scanEvents(goneName, '1.0.0');
  expect(events[events.length - 1]).toMatchObject({ type: 'ScanFailed', data: { retryable: true, requestNumber: 3 } });
});
