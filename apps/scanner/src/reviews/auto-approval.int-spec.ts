import { join } from 'node:path';
import { eventually, startVerdaccio, type Verdaccio } from '@toolport/testing';
import { forecastTool } from '../__fixtures__/scan-tools';
import { ANON, ScannerTestEnv, serverJson } from '../__fixtures__/scanner-test-env';
import { ScanReconciler } from '../scans/scan-reconciler';

// `verified` end to end, everything real: the publisher verifies npm ownership (`mcpName`)
// against a real Verdaccio, the scanner fetches the tarball from it, checks dist.integrity,
// unpacks and analyses it, and approves automatically in an auto-approved namespace. The engine
// is the one the scanner builds from its settings (createScanEngine).
let verdaccio: Verdaccio;
let env: ScannerTestEnv;

const VERIFIED = `${ANON}/verified-weather`;
const UNCHECKED = `${ANON}/unchecked-weather`;
const stdio = { type: 'stdio' };

beforeAll(async () => {
  verdaccio = await startVerdaccio();
  await verdaccio.publish({ name: 'toolport-verified-weather', version: '1.0.0', main: 'index.js', mcpName: VERIFIED }, { 'index.js': 'module.exports = (city) => `sunny in ${city}`;\n' });
  await verdaccio.publish({ name: 'toolport-unchecked-weather', version: '1.0.0', main: 'index.js', mcpName: UNCHECKED }, { 'index.js': 'module.exports = () => 1;\n' });
  env = await ScannerTestEnv.start('autoapprove', {
    // A generous verification timeout: Verdaccio answers slowly on a loaded 2-core machine.
    env: { TOOLPORT_VERIFY_PACKAGES: 'true', TOOLPORT_NPM_REGISTRY_URL: verdaccio.url, TOOLPORT_VERIFY_TIMEOUT_MS: '60000' },
    // The scanner's own wiring (createScanEngine from its settings), pointed at the local registry.
    scannerEnv: {
      TOOLPORT_AUTO_APPROVE_NAMESPACES: `${ANON}/verified-*`,
      TOOLPORT_SCANNER_FETCH_PACKAGES: 'true',
      TOOLPORT_SCANNER_NPM_REGISTRY: verdaccio.url,
      TOOLPORT_SCANNER_ALLOW_CIDRS: '127.0.0.0/8',
      TOOLPORT_SCANNER_ADVISORY_DIR: join(__dirname, '..', '..', 'corpus', 'osv'),
    },
  });
}, 180_000);

afterAll(async () => {
  await env?.close();
  await verdaccio?.stop();
});

it('scans a package-verified version as verified and approves it automatically in a configured namespace', async () => {
  await env.publish(serverJson(VERIFIED, '1.0.0', [forecastTool], { packages: [{ registryType: 'npm', identifier: 'toolport-verified-weather', version: '1.0.0', transport: stdio }] }));
  const [completed] = await env.waitForScanEvents(VERIFIED, '1.0.0', 'ScanCompleted', 1, 60_000);
  expect(completed!.data).toMatchObject({ trustLevel: 'verified' });
  // Auto-approval follows the ScanCompleted commit (and the reconciler retries it), so wait for it.
  const approvals = await eventually(async () => {
    const events = await env.streamEvents(`review-${VERIFIED}@1.0.0`);
    return events.length > 0 ? events : undefined;
  }, { timeoutMs: 30_000, what: 'the automatic approval' });
  expect(approvals.map((e) => e.type)).toEqual(['VersionApproved']);
  expect(approvals[0]!.data).toMatchObject({ automatic: true, trustLevel: 'verified', toolListHash: completed!.data.toolListHash });
  expect(approvals[0]!.metadata.actor).toEqual({ kind: 'service', id: 'scanner' });
}, 120_000);

it('leaves a version outside the configured namespaces, or not verified, to reviewers', async () => {
  // Same verified package, but the namespace is not auto-approved.
  await env.publish(serverJson(UNCHECKED, '1.0.0', [forecastTool], { packages: [{ registryType: 'npm', identifier: 'toolport-unchecked-weather', version: '1.0.0', transport: stdio }] }));
  const [completed] = await env.waitForScanEvents(UNCHECKED, '1.0.0', 'ScanCompleted', 1, 60_000);
  expect(completed!.data).toMatchObject({ trustLevel: 'verified' });
  // A version with no package in the auto-approved namespace: no bytes to verify, so `passed`.
  const remoteOnly = `${ANON}/verified-nopackage`;
  await env.publish(serverJson(remoteOnly, '1.0.0', [forecastTool]));
  const [remote] = await env.waitForScanEvents(remoteOnly, '1.0.0', 'ScanCompleted', 1, 60_000);
  expect(remote!.data).toMatchObject({ trustLevel: 'passed' });
  expect(await env.streamEvents(`review-${UNCHECKED}@1.0.0`)).toEqual([]);
  expect(await env.streamEvents(`review-${remoteOnly}@1.0.0`)).toEqual([]);
}, 120_000);

it('approves at start-up, through the reconciler, a verified version left pending that a new pattern covers', async () => {
  // UNCHECKED was scanned `verified` above but left pending (outside the patterns). A scanner
  // restarted with a pattern covering it is in the state a worker dying between ScanCompleted
  // and the automatic approval leaves behind: the start-up reconciler must approve it, once.
  await env.stopScanner();
  const scanner = await env.startScanner({
    TOOLPORT_AUTO_APPROVE_NAMESPACES: `${ANON}/verified-*,${ANON}/unchecked-*`,
    TOOLPORT_SCANNER_FETCH_PACKAGES: 'true',
    TOOLPORT_SCANNER_NPM_REGISTRY: verdaccio.url,
    TOOLPORT_SCANNER_ALLOW_CIDRS: '127.0.0.0/8',
  });
  const approvals = await eventually(async () => {
    const events = await env.streamEvents(`review-${UNCHECKED}@1.0.0`);
    return events.length > 0 ? events : undefined;
  }, { timeoutMs: 30_000, what: 'the reconciler approval' });
  expect(approvals.map((e) => e.type)).toEqual(['VersionApproved']);
  expect(approvals[0]!.data).toMatchObject({ automatic: true, trustLevel: 'verified' });
  // A further pass decides nothing twice.
  expect(await scanner.get(ScanReconciler).reconcile()).toMatchObject({ autoApproved: 0 });
  expect((await env.streamEvents(`review-${UNCHECKED}@1.0.0`)).length).toBe(1);
}, 120_000);
