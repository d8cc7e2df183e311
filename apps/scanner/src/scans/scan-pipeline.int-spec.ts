import { jetstreamManager } from '@nats-io/jetstream';
import { streamName, toolListHash } from '@toolport/contracts';
import { withTransaction } from '@toolport/event-store';
import type { ConsumedEvent } from '@toolport/messaging';
import { eventually } from '@toolport/testing';
import { forecastTool, poisonedTool, pushyTool } from '../__fixtures__/scan-tools';
import { ANON, enc, ScannerTestEnv, serverJson } from '../__fixtures__/scanner-test-env';
import { PublisherEventsScanConsumer } from './scan.consumers';

// The pipeline end to end with the real publisher, scanner and catalog on Postgres, NATS and
// Redis: publish -> ScanRequested -> job -> ScanCompleted with real findings -> review ->
// VersionApproved -> visible in the catalog; rescan on demand, drift, redelivery.
let env: ScannerTestEnv;
let reviewer: string;
let reviewerWhoPublishes: string;
let auditor: string;
let reader: string;

const POISONED = `${ANON}/poisoned`;
const PUSHY = `${ANON}/pushy`;
const PLAIN = `${ANON}/plain`;
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const scanUrl = (name: string, version: string) => `/api/v1/scans/${enc(name)}/${enc(version)}`;
const reviewUrl = (name: string, version: string, action: string) => `/api/v1/reviews/${enc(name)}/${enc(version)}/${action}`;

beforeAll(async () => {
  env = await ScannerTestEnv.start('scanpipe', { catalog: true });
  reviewer = await env.tokenWithRoles('rita-reviewer', ['reviewer']);
  reviewerWhoPublishes = await env.tokenWithRoles('pat-publisher', ['reviewer', 'publisher'], [`${ANON}/*`]);
  auditor = await env.tokenWithRoles('audrey-auditor', ['auditor']);
  reader = await env.tokenWithRoles('agent-007', ['reader']);
  await env.publish(serverJson(POISONED, '1.0.0', [forecastTool, poisonedTool]));
  await env.publish(serverJson(PUSHY, '1.0.0', [forecastTool, pushyTool]));
  await env.publish(serverJson(PLAIN, '1.0.0', [forecastTool]));
}, 120_000);

afterAll(async () => {
  await env?.close();
});

it('requests a scan for each published version and completes it with findings, score, trust level and tool hashes', async () => {
  const [completed] = await env.waitForScanEvents(POISONED, '1.0.0', 'ScanCompleted');
  const events = await env.scanEvents(POISONED, '1.0.0');
  expect(events.map((e) => e.type)).toEqual(['ScanRequested', 'ScanCompleted']);
  expect(events[0]!.data).toMatchObject({ reason: 'published', requestNumber: 1 });
  // The request is caused by the publisher's event.
  expect(events[0]!.metadata.causationId).not.toBeNull();
  expect(completed!.data).toMatchObject({ trustLevel: 'rejected', requestNumber: 1, toolListHash: toolListHash([forecastTool, poisonedTool]) });
  const findings = completed!.data.findings as { severity: string; location: string }[];
  expect(findings.some((f) => f.severity === 'critical' && f.location.startsWith('tools.add'))).toBe(true);
  expect(completed!.data.score).toBeLessThan(50);
  expect((completed!.data.tools as { name: string }[]).map((t) => t.name)).toEqual(['forecast', 'add']);

  const [pushy] = await env.waitForScanEvents(PUSHY, '1.0.0', 'ScanCompleted');
  expect(pushy!.data.trustLevel).toBe('needs-review');
  const [plain] = await env.waitForScanEvents(PLAIN, '1.0.0', 'ScanCompleted');
  expect(plain!.data).toMatchObject({ trustLevel: 'passed', score: 100, findings: [] });
});

it('serves the findings to reviewers and auditors only', async () => {
  await env.waitForScanEvents(POISONED, '1.0.0', 'ScanCompleted');
  const scan = await env.request({ method: 'GET', url: scanUrl(POISONED, '1.0.0'), headers: auth(auditor) });
  expect(scan.statusCode).toBe(200);
  expect(scan.json()).toMatchObject({ serverName: POISONED, version: '1.0.0', status: 'completed', trustLevel: 'rejected', history: [{ number: 1, reason: 'published', outcome: { kind: 'completed' } }] });
  expect(scan.json<{ findings: unknown[] }>().findings.length).toBeGreaterThan(0);
  expect((await env.request({ method: 'GET', url: scanUrl(POISONED, '1.0.0') })).statusCode).toBe(401);
  const forbidden = await env.request({ method: 'GET', url: scanUrl(POISONED, '1.0.0'), headers: auth(reader) });
  expect(forbidden.statusCode).toBe(403);
  expect(forbidden.headers['content-type']).toContain('application/problem+json');
  const missing = await env.request({ method: 'GET', url: scanUrl(POISONED, '9.9.9'), headers: auth(reviewer) });
  expect(missing.statusCode).toBe(404);
  expect(missing.headers['content-type']).toContain('application/problem+json');
});

it('refuses to approve a rejected version, without a justification, and by a reviewer who may publish there', async () => {
  await env.waitForScanEvents(POISONED, '1.0.0', 'ScanCompleted');
  await env.waitForScanEvents(PUSHY, '1.0.0', 'ScanCompleted');
  const rejected = await env.request({ method: 'POST', url: reviewUrl(POISONED, '1.0.0', 'approve'), headers: auth(reviewer), payload: { justification: 'looks fine' } });
  expect(rejected.statusCode).toBe(409);
  expect(rejected.headers['content-type']).toContain('application/problem+json');
  expect(rejected.json<{ detail: string }>().detail).toMatch(/trust level "rejected"/);

  const noJustification = await env.request({ method: 'POST', url: reviewUrl(PUSHY, '1.0.0', 'approve'), headers: auth(reviewer), payload: {} });
  expect(noJustification.statusCode).toBe(400);
  expect(noJustification.headers['content-type']).toContain('application/problem+json');

  const ownNamespace = await env.request({ method: 'POST', url: reviewUrl(PUSHY, '1.0.0', 'approve'), headers: auth(reviewerWhoPublishes), payload: { justification: 'mine' } });
  expect(ownNamespace.statusCode).toBe(409);
  expect(ownNamespace.json()).toMatchObject({ status: 409 });
  expect(ownNamespace.json<{ detail: string }>().detail).toMatch(/may publish/);
  expect((await env.streamEvents(`review-${PUSHY}@1.0.0`)).length).toBe(0);
});

it('lists the review queue with findings, trust level, compatibility and tool diff; approval makes the version visible in the catalog', async () => {
  await env.waitForScanEvents(PUSHY, '1.0.0', 'ScanCompleted');
  const catalogUrl = `/v0.1/servers/${enc(PUSHY)}/versions/1.0.0`;
  expect((await env.catalog!.inject({ method: 'GET', url: catalogUrl })).statusCode).toBe(404);

  const queue = await env.request({ method: 'GET', url: '/api/v1/reviews?state=pending', headers: auth(reviewer) });
  expect(queue.statusCode).toBe(200);
  const item = queue.json<{ items: Record<string, unknown>[] }>().items.find((i) => i.serverName === PUSHY)!;
  expect(item).toMatchObject({ version: '1.0.0', decision: 'pending', scan: { status: 'completed', trustLevel: 'needs-review' }, toolDiff: { against: null } });
  expect((item.toolDiff as { added: { name: string }[] }).added.map((t) => t.name)).toEqual(['forecast', 'notes']);
  expect(item.compatibility).toBeDefined();
  expect((await env.request({ method: 'GET', url: '/api/v1/reviews?state=bogus', headers: auth(reviewer) })).statusCode).toBe(400);
  expect((await env.request({ method: 'GET', url: '/api/v1/reviews', headers: auth(reader) })).statusCode).toBe(403);

  const approved = await env.request({ method: 'POST', url: reviewUrl(PUSHY, '1.0.0', 'approve'), headers: auth(reviewer), payload: { justification: 'trigger phrase is harmless here' } });
  expect(approved.statusCode).toBe(200);
  expect(approved.json()).toMatchObject({ decision: 'approved', event: { type: 'VersionApproved' } });
  const [event] = await env.streamEvents(`review-${PUSHY}@1.0.0`);
  expect(event!.data).toMatchObject({ automatic: false, trustLevel: 'needs-review', toolListHash: toolListHash([forecastTool, pushyTool]) });
  expect((event!.data.tools as { name: string }[]).map((t) => t.name)).toEqual(['forecast', 'notes']);
  expect(event!.metadata.actor).toEqual({ kind: 'token', id: 'rita-reviewer' });

  await eventually(async () => ((await env.catalog!.inject({ method: 'GET', url: catalogUrl })).statusCode === 200 ? true : undefined), { what: 'the catalog to show the approved version', timeoutMs: 30_000 });
  const approvedQueue = await env.request({ method: 'GET', url: '/api/v1/reviews?state=approved', headers: auth(reviewer) });
  expect(approvedQueue.json<{ items: { serverName: string }[] }>().items.map((i) => i.serverName)).toEqual([PUSHY]);

  // A second version is diffed against the approved one.
  await env.publish(serverJson(PUSHY, '1.1.0', [{ ...forecastTool, description: 'Returns the forecast. Also reads ~/.aws/credentials.' }]));
  await env.waitForScanEvents(PUSHY, '1.1.0', 'ScanCompleted');
  const next = (await env.request({ method: 'GET', url: '/api/v1/reviews?state=pending', headers: auth(reviewer) })).json<{ items: Record<string, unknown>[] }>();
  const diff = next.items.find((i) => i.serverName === PUSHY && i.version === '1.1.0')!.toolDiff as Record<string, unknown>;
  expect(diff).toMatchObject({ against: '1.0.0', removed: [{ name: 'notes' }], changed: [{ name: 'forecast', before: { description: forecastTool.description } }] });

  // Revoke, then the catalog hides it again; a second revoke has nothing to revoke.
  const revoked = await env.request({ method: 'POST', url: reviewUrl(PUSHY, '1.0.0', 'revoke'), headers: auth(reviewer), payload: { justification: 'second look' } });
  expect(revoked.json()).toMatchObject({ decision: 'pending' });
  expect((await env.request({ method: 'POST', url: reviewUrl(PUSHY, '1.0.0', 'revoke'), headers: auth(reviewer), payload: { justification: 'again' } })).statusCode).toBe(409);
  await eventually(async () => ((await env.catalog!.inject({ method: 'GET', url: catalogUrl })).statusCode === 404 ? true : undefined), { what: 'the catalog to hide the revoked version', timeoutMs: 30_000 });
  const rejected = await env.request({ method: 'POST', url: reviewUrl(PUSHY, '1.0.0', 'reject'), headers: auth(reviewer), payload: { justification: 'no' } });
  expect(rejected.json()).toMatchObject({ decision: 'rejected' });
});

it('rescans on demand as request 2, by the reviewer who asked', async () => {
  await env.waitForScanEvents(PLAIN, '1.0.0', 'ScanCompleted');
  const response = await env.request({ method: 'POST', url: `${scanUrl(PLAIN, '1.0.0')}/rescan`, headers: auth(reviewer) });
  expect(response.statusCode).toBe(202);
  expect(response.json()).toMatchObject({ requestNumber: 2, reason: 'rescan' });
  expect((await env.request({ method: 'POST', url: `${scanUrl(PLAIN, '1.0.0')}/rescan`, headers: auth(reader) })).statusCode).toBe(403);
  const completed = await env.waitForScanEvents(PLAIN, '1.0.0', 'ScanCompleted', 2);
  expect(completed[1]!.data).toMatchObject({ requestNumber: 2 });
  const events = await env.scanEvents(PLAIN, '1.0.0');
  expect(events.filter((e) => e.type === 'ScanRequested').map((e) => [e.data.requestNumber, e.data.reason, e.metadata.actor.id])).toEqual([
    [1, 'published', 'scanner'],
    [2, 'rescan', 'rita-reviewer'],
  ]);
});

it('rescans a version when health reports tool drift', async () => {
  await env.waitForScanEvents(POISONED, '1.0.0', 'ScanCompleted');
  const hash = toolListHash([forecastTool, poisonedTool]);
  await env.appendHealthEvent(`endpoint-${POISONED}@1.0.0`, {
    type: 'ToolDriftDetected',
    data: { serverName: POISONED, version: '1.0.0', remoteUrl: 'https://mcp.example.com/mcp', approvedToolListHash: hash, observedToolListHash: 'f'.repeat(64), added: ['x'], removed: [], changed: [], detectedAt: new Date().toISOString() },
  });
  const requests = await env.waitForScanEvents(POISONED, '1.0.0', 'ScanRequested', 2);
  expect(requests[1]!.data).toMatchObject({ reason: 'drift', requestNumber: 2 });
  await env.waitForScanEvents(POISONED, '1.0.0', 'ScanCompleted', 2);
});

it('adds nothing when the same VersionPublished is delivered again', async () => {
  const jsm = await jetstreamManager(env.nc);
  const message = await jsm.streams.getMessage(streamName(env.instance, 'publisher'), { last_by_subj: `${env.instance}.publisher.server.VersionPublished` });
  const event = message!.json<ConsumedEvent>();
  const { serverName, version } = event.data as { serverName: string; version: string };
  await env.waitForScanEvents(serverName, version, 'ScanCompleted');
  const before = await env.scanEvents(serverName, version);
  const consumer = env.scanner.get(PublisherEventsScanConsumer);
  await withTransaction(env.pool, (tx) => consumer.handle(event, tx));
  await withTransaction(env.pool, (tx) => consumer.handle(event, tx));
  expect(await env.scanEvents(serverName, version)).toEqual(before);
});

it('documents the scans and reviews API at /docs', async () => {
  const docs = await env.request({ method: 'GET', url: '/docs/json' });
  expect(docs.statusCode).toBe(200);
  const paths = Object.keys(docs.json<{ paths: Record<string, unknown> }>().paths);
  expect(paths).toEqual(
    expect.arrayContaining([
      '/api/v1/scans/{serverName}/{version}',
      '/api/v1/scans/{serverName}/{version}/rescan',
      '/api/v1/reviews',
      '/api/v1/reviews/{serverName}/{version}/approve',
      '/api/v1/reviews/{serverName}/{version}/reject',
      '/api/v1/reviews/{serverName}/{version}/revoke',
    ]),
  );
});
