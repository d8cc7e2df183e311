import { generateKeyPairSync } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TOOLS_META_KEY } from '@toolport/contracts';
import { buildService } from '@toolport/platform';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests only: the real publisher produces the events whose trail is checked; production audit code never imports it.
import { publisherService } from '@toolport/publisher';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests only: the real scanner (consumer, BullMQ worker, reviews API) scans and approves what the trail shows.
import { scannerService } from '@toolport/scanner';
import { eventually, testEnv, testInstanceName } from '@toolport/testing';
import { admin, bearer, healthStatusChanged } from '../__fixtures__/audit-fixtures';
import { type AuditTestEnv, startAudit } from '../__fixtures__/audit-test-env';
import { type AuditRecord, type ConsistencyProofResponse, loadEd25519PublicKey, type SignedTreeHead, verifyConsistency, verifyTreeHead } from '../transparency-log';
import { HttpAuditApi } from '../verifier/audit-api-client';
import { verifyLog } from '../verifier/verify-log';
import type { RecordsPage } from './audit-records.controller';

// Issue 7: "The end-to-end trail: publish -> scan -> approve -> status change each appear with the
// right actor", with the real services: the publisher (publish through an exchanged token,
// status change by the admin), the scanner (its consumer requests the scan, its BullMQ worker
// runs it, its reviews API records a reviewer's approval) and the audit service reading their
// streams. The health service's status change is simulated: HealthStatusChanged is appended to
// the health service's own store and relayed as the health service would, because a real one
// needs a live MCP endpoint probed several times (hysteresis); apps/health tests that part.
// Also: auditor/admin only (401/403), 400 problem+json for bad parameters, and heads signed after
// the interval for a log that grew by less than N.
const instance = testInstanceName('trail');
const SERVER = 'io.modelcontextprotocol.anonymous/audit-trail';
const JUSTIFICATION = 'Reviewed the tools, "search" and "fetch"; no findings,\nsafe to use';
const REVIEWER = 'rita-reviewer';
/** Benign tools: the scan passes them, so a reviewer may approve the version. */
const TOOLS = [
  { name: 'search', description: 'Searches the product documentation for a query.', inputSchema: { type: 'object', properties: { query: { type: 'string', description: 'Words to look for' } }, required: ['query'] } },
  { name: 'fetch', description: 'Returns one documentation page by its id.', inputSchema: { type: 'object', properties: { id: { type: 'string', description: 'Page id' } }, required: ['id'] } },
];
let publisher: NestFastifyApplication;
let scanner: NestFastifyApplication;
let env: AuditTestEnv;
let anonymous: string;
let reviewer: string;
let auditor: string;
let reader: string;

const audit = (url: string, headers: Record<string, string> = admin) => env.request({ method: 'GET', url, headers });

async function issue(subject: string, roles: string[]): Promise<{ id: string; token: string }> {
  const response = await publisher.inject({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { subject, roles } });
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string; token: string }>();
}

async function recordsAbout(server: string): Promise<AuditRecord[]> {
  return (await audit(`/api/v1/audit/records?server=${encodeURIComponent(server)}&limit=1000`)).json<RecordsPage>().items;
}

async function waitForTypes(types: string[]): Promise<AuditRecord[]> {
  return eventually(
    async () => {
      const records = await recordsAbout(SERVER);
      return types.every((type) => records.some((r) => r.type === type)) ? records : undefined;
    },
    { what: `audit records of ${types.join(', ')}`, timeoutMs: 60_000 },
  );
}

beforeAll(async () => {
  const settings = {
    TOOLPORT_AUTH_ANONYMOUS: 'true',
    TOOLPORT_VERIFY_PACKAGES: 'false',
    TOOLPORT_RATE_LIMIT_IP_PER_MINUTE: '0',
    TOOLPORT_RATE_LIMIT_TOKEN_PER_MINUTE: '0',
    TOOLPORT_SCANNER_BACKOFF_MS: '50',
  };
  publisher = (await buildService(publisherService, publisherService.loadConfig(testEnv(instance, settings)))).app;
  // The worker is on (TOOLPORT_SCANNER_WORKER defaults to true): the scan really runs.
  scanner = (await buildService(scannerService, scannerService.loadConfig(testEnv(instance, settings)))).app;
  env = await startAudit('trail', { TOOLPORT_AUDIT_STH_EVERY_RECORDS: '1000', TOOLPORT_AUDIT_STH_INTERVAL_SECONDS: '1' }, instance);
  anonymous = (await publisher.inject({ method: 'POST', url: '/v0/auth/none' })).json<{ registry_token: string }>().registry_token;
  // A reviewer with no publish rights on the namespace (separation of duties holds).
  reviewer = (await issue(REVIEWER, ['reviewer'])).token;
  auditor = (await issue('carol', ['auditor'])).token;
  reader = (await issue('robot-reader', ['reader'])).token;
}, 120_000);

afterAll(async () => {
  await scanner?.close();
  await publisher?.close();
  await env?.close();
});

describe('the trail of one server version', () => {
  it('shows publish, scan, approval, status change and health change, each with its actor', async () => {
    const published = await publisher.inject({
      method: 'POST',
      url: '/v0/publish',
      headers: bearer(anonymous),
      payload: {
        $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
        name: SERVER,
        description: 'Audit trail test',
        version: '1.2.0',
        _meta: { [TOOLS_META_KEY]: TOOLS },
      },
    });
    expect(published.statusCode).toBe(200);
    // The scanner's consumer sees VersionPublished, requests the scan, its worker completes it.
    const scanned = await waitForTypes(['VersionPublished', 'ScanRequested', 'ScanCompleted']);
    const scan = scanned.find((r) => r.type === 'ScanCompleted')!.payload as { score: number; toolListHash: string };
    expect(scan).toMatchObject({ trustLevel: 'passed', findings: [] });

    const reviewUrl = `/api/v1/reviews/${encodeURIComponent(SERVER)}/1.2.0/approve`;
    const approved = await scanner.inject({ method: 'POST', url: reviewUrl, headers: bearer(reviewer), payload: { justification: JUSTIFICATION } });
    expect(approved.statusCode).toBe(200);
    await waitForTypes(['VersionApproved']);

    const deprecated = await publisher.inject({
      method: 'PATCH',
      url: `/v0/servers/${encodeURIComponent(SERVER)}/versions/1.2.0/status`,
      headers: admin,
      payload: { status: 'deprecated', statusMessage: 'superseded by 2.0.0' },
    });
    expect(deprecated.statusCode).toBe(200);
    await waitForTypes(['VersionStatusChanged']);

    // Simulated (see the top of the file): as the health service appends it.
    const health = await env.source('health');
    await health.append(`endpoint-${SERVER}`, [healthStatusChanged(SERVER, '1.2.0', 'degraded')], { kind: 'service', id: 'health' });
    const records = await waitForTypes(['HealthStatusChanged']);

    const version = { serverName: SERVER, version: '1.2.0' };
    const trail = records.filter((r) => r.type !== 'LatestVersionChanged').map((r) => ({ type: r.type, actor: r.actor, subject: r.subject, summary: r.summary }));
    // The scan request is caused by VersionPublished but travels on another stream: its record
    // may come before or after it, so the two are compared as a set; the rest waited on each other.
    expect(trail.slice(0, 2)).toEqual(
      expect.arrayContaining([
        { type: 'VersionPublished', actor: { kind: 'anonymous', id: 'anonymous' }, subject: version, summary: `anonymous published ${SERVER} 1.2.0` },
        { type: 'ScanRequested', actor: { kind: 'service', id: 'scanner' }, subject: version, summary: `service scanner requested a scan of ${SERVER} 1.2.0 (published)` },
      ]),
    );
    expect(trail.slice(2)).toEqual([
      { type: 'ScanCompleted', actor: { kind: 'service', id: 'scanner' }, subject: version, summary: `service scanner scanned ${SERVER} 1.2.0: score ${scan.score}, passed, 0 findings` },
      { type: 'VersionApproved', actor: { kind: 'token', id: REVIEWER }, subject: version, summary: `token ${REVIEWER} approved ${SERVER} 1.2.0: ${JUSTIFICATION}` },
      {
        type: 'VersionStatusChanged',
        actor: { kind: 'token', id: 'bootstrap-admin' },
        subject: version,
        summary: `token bootstrap-admin set ${SERVER} 1.2.0 to deprecated (was active): superseded by 2.0.0`,
      },
      { type: 'HealthStatusChanged', actor: { kind: 'service', id: 'health' }, subject: version, summary: `service health saw ${SERVER} 1.2.0 become degraded: handshake ok` },
    ]);
    // The approval records the reviewer's reasons and what was approved (the scanned tools).
    expect(records.find((r) => r.type === 'VersionApproved')!.payload).toMatchObject({ automatic: false, trustLevel: 'passed', toolListHash: scan.toolListHash });
  });

  it('answers "who approved this server" with the actor filter and type filter', async () => {
    const page = (await audit(`/api/v1/audit/records?type=VersionApproved&server=${encodeURIComponent(SERVER)}`, bearer(auditor))).json<RecordsPage>();
    expect(page.items.map((r) => r.actor)).toEqual([{ kind: 'token', id: REVIEWER }]);
    const byReviewer = (await audit(`/api/v1/audit/records?actor=${REVIEWER}`, bearer(auditor))).json<RecordsPage>();
    expect(byReviewer.items.map((r) => r.type)).toEqual(['VersionApproved']);
  });

  it('records every token issued, by the exchange (/v0/auth/*) and by the admin', async () => {
    const page = (await audit('/api/v1/audit/records?type=TokenIssued')).json<RecordsPage>();
    expect(page.items.map((r) => r.summary)).toEqual([
      expect.stringMatching(/^anonymous obtained token \S+ through the none exchange \(publish io\.modelcontextprotocol\.anonymous\/\*, edit io\.modelcontextprotocol\.anonymous\/\*\)$/),
      expect.stringMatching(/^token bootstrap-admin issued token \S+ to rita-reviewer \(roles reviewer\)$/),
      expect.stringMatching(/^token bootstrap-admin issued token \S+ to carol \(roles auditor\)$/),
      expect.stringMatching(/^token bootstrap-admin issued token \S+ to robot-reader \(roles reader\)$/),
    ]);
  });

  it('exports the justification intact through CSV quoting', async () => {
    const response = await audit(`/api/v1/audit/export?format=csv&type=VersionApproved`, bearer(auditor));
    expect(response.statusCode).toBe(200);
    const rows = parseCsv(response.body);
    expect(rows[0]![9]).toBe('summary');
    expect(rows).toHaveLength(2);
    expect(rows[1]![9]).toBe(`token ${REVIEWER} approved ${SERVER} 1.2.0: ${JUSTIFICATION}`);
    expect(JSON.parse(rows[1]![11]!)).toMatchObject({ justification: JUSTIFICATION });
  });
});

describe('tree heads by interval', () => {
  it('signs a head within the interval for a log that grew by less than N, and only when it grew', async () => {
    const size = await env.recordCount();
    const head = await eventually(
      async () => {
        const response = await audit('/api/v1/audit/heads/latest');
        return response.statusCode === 200 && response.json<SignedTreeHead>().treeSize === size ? response.json<SignedTreeHead>() : undefined;
      },
      { what: `a signed head of size ${size}` },
    );
    await new Promise((r) => setTimeout(r, 2500));
    expect((await audit('/api/v1/audit/heads/latest')).json<SignedTreeHead>()).toEqual(head);
  });
});

describe('restart', () => {
  it('keeps its generated key, rebuilds the tree from the stored leaves and signs heads consistent with the old ones', async () => {
    const before = (await audit('/api/v1/audit/heads/latest')).json<SignedTreeHead>();
    const keysBefore = (await audit('/api/v1/audit/keys')).json<Array<{ keyId: string; publicKey: string }>>();
    await env.restart();
    expect(env.signer.treeSize).toBe(await env.recordCount());
    const health = await env.source('health');
    await health.append(`endpoint-${SERVER}`, [healthStatusChanged(SERVER, '1.2.0', 'down')], { kind: 'service', id: 'health' });
    const after = await eventually(
      async () => {
        const head = (await audit('/api/v1/audit/heads/latest')).json<SignedTreeHead>();
        return head.treeSize > before.treeSize ? head : undefined;
      },
      { what: 'a head signed after the restart' },
    );
    expect((await audit('/api/v1/audit/keys')).json()).toEqual(keysBefore);
    expect(after.keyId).toBe(before.keyId);
    const publicKey = loadEd25519PublicKey(keysBefore[0]!.publicKey);
    expect(verifyTreeHead(after, publicKey)).toBe(true);
    const proof = (await audit(`/api/v1/audit/consistency?first=${before.treeSize}&second=${after.treeSize}`)).json<ConsistencyProofResponse>();
    expect(
      verifyConsistency({
        first: before.treeSize,
        second: after.treeSize,
        firstRoot: Buffer.from(before.rootHash, 'hex'),
        secondRoot: Buffer.from(after.rootHash, 'hex'),
        proof: proof.proof.map((h) => Buffer.from(h, 'hex')),
      }),
    ).toBe(true);
    const latest = (await recordsAbout(SERVER)).at(-1)!;
    expect(latest.summary).toBe(`service health saw ${SERVER} 1.2.0 become down: handshake ok`);
    expect((await audit('/api/v1/audit/verify')).json()).toMatchObject({ ok: true, treeSize: after.treeSize });
  });
});

describe('the standalone verifier', () => {
  it('verifies a record and two heads of the running service from its API alone, and fails with another key', async () => {
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = env.app.getHttpServer().address() as { port: number };
    const api = new HttpAuditApi({ baseUrl: `http://127.0.0.1:${port}`, token: auditor, timeoutMs: 10_000 });
    const firstHead = Number((await env.pool.query<{ n: string }>(`SELECT min(tree_size) AS n FROM ${env.auditSchema}.tree_heads`)).rows[0]!.n);
    const keys = (await audit('/api/v1/audit/keys')).json<Array<{ publicKey: string }>>();
    const report = await verifyLog({ publicKey: loadEd25519PublicKey(keys[0]!.publicKey), seq: 3, first: firstHead, second: null }, api);
    expect(report.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.check)).toEqual(expect.arrayContaining(['latest-head', 'record', 'inclusion', 'consistency']));
    const stranger = generateKeyPairSync('ed25519').publicKey;
    expect((await verifyLog({ publicKey: stranger, seq: 3, first: firstHead, second: null }, api)).ok).toBe(false);
  });
});

describe('access', () => {
  const routes = [
    '/api/v1/audit/records',
    '/api/v1/audit/records/1',
    '/api/v1/audit/records/1/proof?treeSize=1',
    '/api/v1/audit/consistency?first=1&second=1',
    '/api/v1/audit/heads/latest',
    '/api/v1/audit/heads?treeSize={latest}',
    '/api/v1/audit/keys',
    '/api/v1/audit/verify',
    '/api/v1/audit/export',
  ];

  it.each(routes)('%s: 401 without a token, 403 for reader and publisher tokens, 200 for auditor and admin', async (route) => {
    const url = route.replace('{latest}', String((await audit('/api/v1/audit/heads/latest')).json<SignedTreeHead>().treeSize));
    const anonymousCall = await audit(url, {});
    expect(anonymousCall.statusCode).toBe(401);
    expect(anonymousCall.headers['content-type']).toMatch(/^application\/problem\+json/);
    for (const token of [reader, anonymous]) {
      const refused = await audit(url, bearer(token));
      expect(refused.statusCode).toBe(403);
      expect(refused.json<{ code: string }>().code).toBe('ROLE_REQUIRED');
    }
    for (const headers of [bearer(auditor), admin]) expect((await audit(url, headers)).statusCode).toBe(200);
  });

  it.each([
    ['/api/v1/audit/records?limit=0', 'query.limit'],
    ['/api/v1/audit/records?limit=1001', 'query.limit'],
    ['/api/v1/audit/records?cursor=abc', 'query.cursor'],
    ['/api/v1/audit/records?from=yesterday', 'query.from'],
    ['/api/v1/audit/records?from=2025-02-01T00:00:00Z&to=2025-01-01', 'query.from'],
    ['/api/v1/audit/records?server_name=x', 'query.server_name'],
    ['/api/v1/audit/records?actor=a&actor=b', 'query.actor'],
    ['/api/v1/audit/records/0', 'path.seq'],
    ['/api/v1/audit/records/x/proof', 'path.seq'],
    ['/api/v1/audit/records/1/proof?treeSize=1000000', 'query.treeSize'],
    ['/api/v1/audit/records/3/proof?treeSize=2', 'query.treeSize'],
    ['/api/v1/audit/consistency?first=2', 'query.second'],
    ['/api/v1/audit/consistency?first=3&second=2', 'query.first'],
    ['/api/v1/audit/consistency?first=1&second=1000000', 'query.second'],
    ['/api/v1/audit/heads', 'query.treeSize'],
    ['/api/v1/audit/export?format=xml', 'query.format'],
  ])('%s: 400 problem+json naming %s', async (url, location) => {
    const response = await audit(url);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json<{ status: number; errors?: Array<{ location: string }> }>();
    expect(problem.status).toBe(400);
    expect(problem.errors?.map((e) => e.location)).toContain(location);
  });

  it('404s a record or head that does not exist', async () => {
    expect((await audit('/api/v1/audit/records/1000000')).statusCode).toBe(404);
    expect((await audit('/api/v1/audit/heads?treeSize=1000000')).statusCode).toBe(404);
  });
});

/** RFC 4180 reader, enough for the export: quoted fields with "" escapes and embedded CR/LF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}
