import { describeFaults, officialResponseValidator } from '@toolport/testing';
import { approvedSecurity, entry } from '../__fixtures__/catalog-entry';
import { HEALTH_META_KEY, OFFICIAL_META_KEY, SECURITY_META_KEY, serverListJson, serverResponseJson, UPTIME_ANSWER_MAX_AGE_MS, versionAnswer } from './official-response';

const getVersion = officialResponseValidator('/v0.1/servers/{serverName}/versions/{version}', 'get', '200');
const listServers = officialResponseValidator('/v0.1/servers', 'get', '200');
const anonymous = { privileged: false };

function valid(validate: typeof getVersion, body: unknown): void {
  if (!validate(body)) throw new Error(describeFaults(validate).join('\n'));
}

describe('serverResponseJson', () => {
  it('is the official ServerResponse with the server.json as published and Toolport data under its own keys', () => {
    const body = JSON.parse(serverResponseJson(entry(), anonymous)) as Record<string, Record<string, unknown>>;
    valid(getVersion, body);
    expect(body['server']).toEqual(JSON.parse(entry().serverJson));
    expect(Object.keys(body['_meta']!)).toEqual([OFFICIAL_META_KEY, SECURITY_META_KEY, HEALTH_META_KEY]);
    expect(body['_meta']![OFFICIAL_META_KEY]).toEqual({
      status: 'active',
      statusChangedAt: '2025-06-01T10:00:00.000Z',
      publishedAt: '2025-06-01T10:00:00.000Z',
      updatedAt: '2025-06-01T10:00:00.000Z',
      isLatest: true,
    });
    expect(body['_meta']![SECURITY_META_KEY]).toEqual({
      trustLevel: null,
      score: null,
      approval: { status: 'pending', decidedAt: null },
      scan: { status: 'pending', finishedAt: null, rulesVersion: null },
      findings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    });
    expect(body['_meta']![HEALTH_META_KEY]).toEqual({ status: null, checkedAt: null, uptime: null, drift: false });
  });

  it('adds statusMessage only when there is one', () => {
    const body = JSON.parse(serverResponseJson(entry({ status: 'deprecated', statusMessage: 'use 2.x' }), anonymous)) as { _meta: Record<string, Record<string, unknown>> };
    valid(getVersion, body);
    expect(body._meta[OFFICIAL_META_KEY]).toMatchObject({ status: 'deprecated', statusMessage: 'use 2.x' });
  });

  it('shows who decided only to privileged callers', () => {
    const approvedEntry = entry({ security: approvedSecurity() });
    const forAnyone = JSON.parse(serverResponseJson(approvedEntry, anonymous)) as { _meta: Record<string, { approval: Record<string, unknown> }> };
    expect(forAnyone._meta[SECURITY_META_KEY]!.approval).toEqual({ status: 'approved', decidedAt: '2025-06-01T11:00:00.000Z', automatic: false });
    const forReviewer = JSON.parse(serverResponseJson(approvedEntry, { privileged: true })) as { _meta: Record<string, { approval: Record<string, unknown> }> };
    expect(forReviewer._meta[SECURITY_META_KEY]!.approval).toMatchObject({ decidedBy: { kind: 'user', id: 'rita-reviewer' } });
  });

  it('reports drift until a later approval', () => {
    const health = { status: 'healthy' as const, checkedAt: '2025-06-02T00:00:00.000Z', driftDetectedAt: '2025-06-02T00:00:00.000Z', remotes: [] };
    const drifted = JSON.parse(serverResponseJson(entry({ security: approvedSecurity(), health }), anonymous)) as { _meta: Record<string, unknown> };
    expect(drifted._meta[HEALTH_META_KEY]).toEqual({ status: 'healthy', checkedAt: '2025-06-02T00:00:00.000Z', uptime: null, drift: true, driftDetectedAt: '2025-06-02T00:00:00.000Z' });
    const reapproved = { ...approvedSecurity(), approvalAt: '2025-06-03T00:00:00.000Z' };
    const cleared = JSON.parse(serverResponseJson(entry({ security: reapproved, health }), anonymous)) as { _meta: Record<string, { drift: boolean }> };
    expect(cleared._meta[HEALTH_META_KEY]!.drift).toBe(false);
  });
});

describe('uptime in _meta["io.toolport/health"]', () => {
  // Two remotes: one healthy since 10:00; one that was up 30 of its first 60 minutes and down since 11:00.
  const health = {
    status: 'down' as const,
    checkedAt: '2025-06-01T11:00:00.000Z',
    driftDetectedAt: null,
    remotes: [
      { status: 'healthy' as const, checkedAt: '2025-06-01T10:00:00.000Z', observedSince: '2025-06-01T10:00:00.000Z', upMs: 0, knownMs: 0 },
      { status: 'down' as const, checkedAt: '2025-06-01T11:00:00.000Z', observedSince: '2025-06-01T10:00:00.000Z', upMs: 30 * 60_000, knownMs: 60 * 60_000 },
    ],
  };
  const at1130 = new Date('2025-06-01T11:30:00.000Z');

  it('shows the least available remote’s ratio at the time of the answer, and keeps the official shape', () => {
    const body = JSON.parse(serverResponseJson(entry({ health }), anonymous, at1130)) as { _meta: Record<string, unknown> };
    valid(getVersion, body);
    expect(body._meta[HEALTH_META_KEY]).toEqual({ status: 'down', checkedAt: '2025-06-01T11:00:00.000Z', uptime: { ratio: 0.3333, since: '2025-06-01T10:00:00.000Z' }, drift: false });
    const page = JSON.parse(serverListJson([entry({ health })], anonymous, null, at1130)) as { servers: Array<{ _meta: Record<string, { uptime: unknown }> }> };
    expect(page.servers[0]!._meta[HEALTH_META_KEY]!.uptime).toEqual({ ratio: 0.3333, since: '2025-06-01T10:00:00.000Z' });
  });

  it('makes a cached answer go stale only when it shows uptime', () => {
    expect(versionAnswer(entry({ health }), anonymous, at1130)).toMatchObject({ found: true, staleAfter: at1130.getTime() + UPTIME_ANSWER_MAX_AGE_MS });
    expect(versionAnswer(entry(), anonymous, at1130)).toEqual({ found: true, body: serverResponseJson(entry(), anonymous, at1130) });
  });
});

describe('serverListJson', () => {
  it('is the official ServerList, with nextCursor only when given', () => {
    const page = JSON.parse(serverListJson([entry(), entry({ version: '1.3.0' })], anonymous, 'abc')) as { metadata: unknown; servers: unknown[] };
    valid(listServers, page);
    expect(page.metadata).toEqual({ nextCursor: 'abc', count: 2 });
    const last = JSON.parse(serverListJson([], anonymous)) as { metadata: unknown; servers: unknown[] };
    valid(listServers, last);
    expect(last).toEqual({ servers: [], metadata: { count: 0 } });
  });
});
