import { eventually } from '@toolport/testing';
import { ANON, type CatalogTestEnv, serverJson, startCatalogTestEnv } from '../__fixtures__/catalog-test-env';
import type { CatalogChangeRecord } from './catalog-change';
import { CatalogChanges } from './catalog-changes';

// The default visibility (TOOLPORT_CATALOG_VISIBILITY=approved): versions published through the
// real publisher stay hidden from agents until the scanner's VersionApproved arrives, reviewers
// see everything; and the change feed reports what the projections committed, in order.
let env: CatalogTestEnv;
let reviewer: string;
let reader: string;
const SECURITY = 'io.toolport/security';
const OFFICIAL = 'io.modelcontextprotocol.registry/official';
const enc = encodeURIComponent;
const GATED = `${ANON}/gated`;
const HASH = 'c'.repeat(64);

const status = async (url: string, token?: string) => (await env.get(url, token ? { authorization: `Bearer ${token}` } : {})).statusCode;
const review = (type: 'VersionApproved' | 'VersionRejected' | 'ApprovalRevoked', version: string, at: string) => {
  const base = { serverName: GATED, version, justification: 'reviewed' };
  const data =
    type === 'VersionApproved'
      ? { ...base, trustLevel: 'verified', tools: [], toolListHash: HASH, automatic: false, approvedAt: at }
      : type === 'VersionRejected'
        ? { ...base, rejectedAt: at }
        : { ...base, revokedAt: at };
  return env.scanner.append(`review-${GATED}@${version}`, [{ type, data }], { kind: 'user', id: 'rita-reviewer' });
};

beforeAll(async () => {
  env = await startCatalogTestEnv('visibility');
  reviewer = await env.tokenWithRoles('rita-reviewer', ['reviewer']);
  reader = await env.tokenWithRoles('agent-007', ['reader']);
}, 90_000);

afterAll(async () => {
  await env?.close();
});

it('hides an unapproved version from agents, shows it to reviewers, and shows it to all once approved', async () => {
  const changes: CatalogChangeRecord[] = [];
  const unsubscribe = env.catalog.get(CatalogChanges).subscribe((change) => changes.push(change));
  await env.publish(serverJson(GATED, '1.0.0'));
  await env.caughtUp();

  const url = `/v0.1/servers/${enc(GATED)}/versions/1.0.0`;
  expect(await status(url)).toBe(404);
  expect(await status(url, reader)).toBe(404);
  expect(await status(`/v0.1/servers/${enc(GATED)}/versions`)).toBe(404);
  expect((await env.get(`/v0.1/servers?search=${enc(GATED)}`)).json<{ servers: unknown[] }>().servers).toEqual([]);
  const forReviewer = await env.get(url, { authorization: `Bearer ${reviewer}` });
  expect(forReviewer.statusCode).toBe(200);
  expect(forReviewer.json<{ _meta: Record<string, unknown> }>()._meta[SECURITY]).toMatchObject({ approval: { status: 'pending', decidedAt: null } });

  const before = new Date().toISOString();
  const approvedAt = new Date(Date.now() + 1000).toISOString();
  await env.scanner.append(`scan-${GATED}@1.0.0`, [
    { type: 'ScanRequested', data: { serverName: GATED, version: '1.0.0', rulesVersion: 'rules-1', reason: 'published', requestedAt: before } },
    {
      type: 'ScanCompleted',
      data: { serverName: GATED, version: '1.0.0', rulesVersion: 'rules-1', score: 88, trustLevel: 'passed', findings: [], tools: [], toolListHash: HASH, completedAt: before },
    },
  ]);
  await review('VersionApproved', '1.0.0', approvedAt);
  await env.caughtUp();

  const visible = await env.get(url);
  expect(visible.statusCode).toBe(200);
  const body = visible.json<{ _meta: Record<string, Record<string, unknown>> }>();
  expect(body._meta[SECURITY]).toEqual({
    trustLevel: 'verified',
    score: 88,
    approval: { status: 'approved', decidedAt: approvedAt, automatic: false },
    scan: { status: 'completed', finishedAt: before, rulesVersion: 'rules-1' },
    findings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
  });
  // The approval is an update for whoever polls with updated_since: it made the version appear.
  expect(body._meta[OFFICIAL]!['updatedAt']).toBe(approvedAt);
  const polled = await env.get(`/v0.1/servers?updated_since=${enc(before)}`);
  expect(polled.json<{ servers: Array<{ server: { name: string } }> }>().servers.map((s) => s.server.name)).toEqual([GATED]);
  // Reviewers also see who decided; agents do not.
  const reviewed = (await env.get(url, { authorization: `Bearer ${reviewer}` })).json<{ _meta: Record<string, { approval: unknown }> }>();
  expect(reviewed._meta[SECURITY]!.approval).toMatchObject({ decidedBy: { kind: 'user', id: 'rita-reviewer' } });
  expect(env.search.servers.get(`${GATED}@1.0.0`)).toMatchObject({ approved: true, trustLevel: 'verified', score: 88 });

  await eventually(async () => (changes.length >= 5 ? true : undefined), { what: 'the change feed' });
  unsubscribe();
  expect(changes.map((c) => [c.kind, c.version])).toEqual([
    ['published', '1.0.0'],
    ['latest', '1.0.0'],
    ['scan', '1.0.0'],
    ['scan', '1.0.0'],
    ['approval', '1.0.0'],
  ]);
  // The feed sends agents only changes about versions approved at some point. The publish (and
  // latest) committed before the approval existed; the scan changes may share the approval's
  // transaction when the scanner stream delivers them together (then they count as approved), so
  // they are not asserted (CI saw both).
  expect(changes.filter((c) => c.kind !== 'scan').map((c) => [c.kind, c.approvedOnce])).toEqual([
    ['published', false],
    ['latest', false],
    ['approval', true],
  ]);
  expect(changes.map((c) => c.id)).toEqual([...changes.map((c) => c.id)].sort((a, b) => a - b));
  // A feed resuming from the first id gets the rest, as stored.
  expect(await env.catalog.get(CatalogChanges).since(changes[0]!.id)).toEqual(changes.slice(1));
}, 60_000);

it('hides a version again when its approval is revoked, and never shows a rejected one', async () => {
  const changes: CatalogChangeRecord[] = [];
  const unsubscribe = env.catalog.get(CatalogChanges).subscribe((change) => changes.push(change));
  await review('ApprovalRevoked', '1.0.0', new Date().toISOString());
  await env.publish(serverJson(GATED, '1.1.0'));
  await review('VersionRejected', '1.1.0', new Date().toISOString());
  await env.caughtUp();
  await eventually(async () => (changes.some((c) => c.kind === 'approval' && c.version === '1.1.0') ? true : undefined), { what: 'the change feed' });
  unsubscribe();
  // Agents learn of the revocation (they knew the version), not of the rejected version.
  expect(changes.filter((c) => c.kind === 'approval').map((c) => [c.version, c.approvedOnce])).toEqual([
    ['1.0.0', true],
    ['1.1.0', false],
  ]);
  expect(await status(`/v0.1/servers/${enc(GATED)}/versions/1.0.0`)).toBe(404);
  expect(await status(`/v0.1/servers/${enc(GATED)}/versions/latest`)).toBe(404);
  expect(await status(`/v0.1/servers/${enc(GATED)}/versions/1.1.0`)).toBe(404);
  const all = await env.get(`/v0.1/servers/${enc(GATED)}/versions`, { authorization: `Bearer ${reviewer}` });
  expect(all.json<{ servers: Array<{ _meta: Record<string, { approval: { status: string } }> }> }>().servers.map((s) => s._meta[SECURITY]!.approval.status)).toEqual([
    'rejected',
    'revoked',
  ]);
  expect(env.search.servers.get(`${GATED}@1.0.0`)?.approved).toBe(false);
}, 60_000);

it('applies an approval that arrives before the publish it refers to', async () => {
  const EARLY = `${ANON}/early`;
  await env.scanner.append(`review-${EARLY}@1.0.0`, [
    { type: 'VersionApproved', data: { serverName: EARLY, version: '1.0.0', justification: 'pre-approved', trustLevel: 'passed', tools: [], toolListHash: HASH, automatic: true, approvedAt: '2020-01-01T00:00:00.000Z' } },
  ]);
  await env.caughtUp();
  await env.publish(serverJson(EARLY, '1.0.0'));
  await env.caughtUp();
  const response = await env.get(`/v0.1/servers/${enc(EARLY)}/versions/latest`);
  expect(response.statusCode).toBe(200);
  expect(response.json<{ _meta: Record<string, unknown> }>()._meta[SECURITY]).toMatchObject({ approval: { status: 'approved', automatic: true } });
}, 60_000);
