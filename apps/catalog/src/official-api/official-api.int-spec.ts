import { describeFaults, eventually, officialResponseValidator } from '@toolport/testing';
import { visibilityFor } from '../visibility/visibility';
import { serverResponseJson } from './official-response';
import { ServersRepository } from './servers.repository';
import { versionAnswerKey } from './version-fast-path';
import { VersionResponseCache } from './version-response-cache';
import { ANON, type CatalogTestEnv, serverJson, startCatalogTestEnv } from '../__fixtures__/catalog-test-env';

// The official read API over the read model, fed by a real publisher (visibility `all`: the
// approval rule has its own test in read-model/visibility.int-spec.ts).
let env: CatalogTestEnv;

const listResponse = officialResponseValidator('/v0.1/servers', 'get', '200');
const versionsResponse = officialResponseValidator('/v0.1/servers/{serverName}/versions', 'get', '200');
const versionResponse = officialResponseValidator('/v0.1/servers/{serverName}/versions/{version}', 'get', '200');
const OFFICIAL = 'io.modelcontextprotocol.registry/official';
const HEALTH = 'io.toolport/health';
const SECURITY = 'io.toolport/security';
const enc = encodeURIComponent;

type Meta = Record<string, Record<string, unknown>>;
interface ServerResponse {
  server: Record<string, unknown> & { name: string; version: string };
  _meta: Meta;
}
interface ServerList {
  servers: ServerResponse[];
  metadata: { nextCursor?: string; count: number };
}

function assertValid(validate: typeof listResponse, body: unknown): void {
  if (!validate(body)) throw new Error(`not the official shape:\n${describeFaults(validate).join('\n')}`);
}

async function getJson<T>(url: string, validate?: typeof listResponse, headers: Record<string, string> = {}): Promise<T> {
  const response = await env.get(url, headers);
  if (response.statusCode !== 200) throw new Error(`GET ${url}: ${response.statusCode} ${response.body}`);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = response.json<T>();
  if (validate) assertValid(validate, body);
  return body;
}

const WEATHER = `${ANON}/weather`;
const weather = (version: string) =>
  serverJson(WEATHER, version, {
    title: 'Weather',
    remotes: [{ type: 'streamable-http', url: 'https://weather.example.com/mcp' }],
    _meta: {
      'io.toolport/tools': [{ name: 'get_forecast', description: 'Forecast for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }],
    },
  });

beforeAll(async () => {
  env = await startCatalogTestEnv('officialapi', { TOOLPORT_CATALOG_VISIBILITY: 'all' });
  await env.publish(weather('1.0.0'));
  await env.caughtUp();
}, 90_000);

afterAll(async () => {
  await env?.close();
});

describe('published -> visible', () => {
  it('serves a published version as the official ServerResponse, server.json as published', async () => {
    const body = await getJson<ServerResponse>(`/v0.1/servers/${enc(WEATHER)}/versions/1.0.0`, versionResponse);
    expect(body.server).toEqual(weather('1.0.0'));
    expect(body._meta[OFFICIAL]).toMatchObject({ status: 'active', isLatest: true });
    expect(body._meta[OFFICIAL]!['publishedAt']).toBe(body._meta[OFFICIAL]!['updatedAt']);
    expect(body._meta[SECURITY]).toMatchObject({ trustLevel: null, approval: { status: 'pending' }, scan: { status: 'pending' } });
    expect(body._meta[HEALTH]).toEqual({ status: null, checkedAt: null, uptime: null, drift: false });
  });

  it('stores one tool row per declared tool and hands the documents to the search index', async () => {
    const { rows } = await env.catalogPool.query(`SELECT tool_name, description FROM ${env.catalogSchema}.tools WHERE server_name = $1`, [WEATHER]);
    expect(rows).toEqual([{ tool_name: 'get_forecast', description: 'Forecast for a city' }]);
    expect(env.search.servers.get(`${WEATHER}@1.0.0`)).toMatchObject({ toolNames: ['get_forecast'], transports: ['streamable-http'], isLatest: true, status: 'active' });
    expect(env.search.tools.get(`${WEATHER}@1.0.0#get_forecast`)).toMatchObject({ parameterNames: ['city'] });
  });

  it('serves /v0 with the same handlers', async () => {
    const v0 = await env.get(`/v0/servers/${enc(WEATHER)}/versions/latest`);
    const v01 = await env.get(`/v0.1/servers/${enc(WEATHER)}/versions/latest`);
    expect(v0.statusCode).toBe(200);
    expect(v0.body).toBe(v01.body);
  });
});

describe('latest and status changes', () => {
  it('moves latest to a newer version and lists versions newest first', async () => {
    await env.publish(weather('1.1.0'));
    await env.caughtUp();
    const latest = await getJson<ServerResponse>(`/v0.1/servers/${enc(WEATHER)}/versions/latest`, versionResponse);
    expect(latest.server.version).toBe('1.1.0');
    const old = await getJson<ServerResponse>(`/v0.1/servers/${enc(WEATHER)}/versions/1.0.0`, versionResponse);
    expect(old._meta[OFFICIAL]!['isLatest']).toBe(false);
    expect(env.search.servers.get(`${WEATHER}@1.0.0`)?.isLatest).toBe(false);
    const versions = await getJson<ServerList>(`/v0.1/servers/${enc(WEATHER)}/versions`, versionsResponse);
    expect(versions.servers.map((s) => s.server.version)).toEqual(['1.1.0', '1.0.0']);
    expect(versions.metadata).toEqual({ count: 2 });
    const latestOnly = await getJson<ServerList>(`/v0.1/servers?search=${enc(WEATHER)}&version=latest`, listResponse);
    expect(latestOnly.servers.map((s) => s.server.version)).toEqual(['1.1.0']);
  });

  it('reflects deprecation with its message, and hides a deleted version unless asked', async () => {
    const before = new Date().toISOString();
    await env.setStatus(WEATHER, '1.1.0', 'deprecated', 'use 2.x');
    await env.caughtUp();
    const deprecated = await getJson<ServerResponse>(`/v0.1/servers/${enc(WEATHER)}/versions/1.1.0`, versionResponse);
    expect(deprecated._meta[OFFICIAL]).toMatchObject({ status: 'deprecated', statusMessage: 'use 2.x', isLatest: true });

    await env.setStatus(WEATHER, '1.1.0', 'deleted');
    await env.caughtUp();
    expect((await env.get(`/v0.1/servers/${enc(WEATHER)}/versions/1.1.0`)).statusCode).toBe(404);
    const withDeleted = await getJson<ServerResponse>(`/v0.1/servers/${enc(WEATHER)}/versions/1.1.0?include_deleted=true`, versionResponse);
    expect(withDeleted._meta[OFFICIAL]).toMatchObject({ status: 'deleted', isLatest: false });
    // The publisher moved latest back to the highest version left.
    const latest = await getJson<ServerResponse>(`/v0.1/servers/${enc(WEATHER)}/versions/latest`, versionResponse);
    expect(latest.server.version).toBe('1.0.0');
    const listed = await getJson<ServerList>(`/v0.1/servers?search=${enc(WEATHER)}`, listResponse);
    expect(listed.servers.map((s) => s.server.version)).toEqual(['1.0.0']);
    // updated_since includes deleted versions, and only what changed after it.
    const since = await getJson<ServerList>(`/v0.1/servers?search=${enc(WEATHER)}&updated_since=${enc(before)}`, listResponse);
    expect(since.servers.map((s) => [s.server.version, s._meta[OFFICIAL]!['status']])).toEqual([['1.1.0', 'deleted']]);
    expect(env.search.servers.get(`${WEATHER}@1.1.0`)).toMatchObject({ status: 'deleted', isLatest: false });
  });

  it('lists the deleted version in /v0.1/servers only with include_deleted=true', async () => {
    const versionAndStatus = (list: ServerList) => list.servers.map((s) => [s.server.version, s._meta[OFFICIAL]!['status']]);
    const withDeleted = await getJson<ServerList>(`/v0.1/servers?search=${enc(WEATHER)}&include_deleted=true`, listResponse);
    expect(versionAndStatus(withDeleted)).toEqual([
      ['1.0.0', 'active'],
      ['1.1.0', 'deleted'],
    ]);
    expect(withDeleted.metadata).toEqual({ count: 2 });
    expect(withDeleted.servers[1]!.server).toEqual(weather('1.1.0'));
    expect(withDeleted.servers[1]!._meta[OFFICIAL]).toMatchObject({ isLatest: false });
    for (const hidden of [`/v0.1/servers?search=${enc(WEATHER)}`, `/v0.1/servers?search=${enc(WEATHER)}&include_deleted=false`]) {
      expect(versionAndStatus(await getJson<ServerList>(hidden, listResponse))).toEqual([['1.0.0', 'active']]);
    }
  });
});

describe('health and drift in _meta', () => {
  it('shows the worst status over the remotes, the last check, the lowest uptime and tool drift', async () => {
    const remote = 'https://weather.example.com/mcp';
    const eu = 'https://weather-eu.example.com/mcp';
    // In the past, so uptime has time to count: both remotes up from an hour ago, the EU one down for the last 15 minutes.
    const minutesAgo = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();
    const [hourAgo, quarterAgo, driftAt] = [minutesAgo(60), minutesAgo(15), minutesAgo(5)];
    const base = { serverName: WEATHER, version: '1.0.0', remoteUrl: remote, previousStatus: null, reason: 'probe', latencyMs: 12 };
    await env.health.append(`endpoint-${WEATHER}@1.0.0`, [
      { type: 'HealthStatusChanged', data: { ...base, status: 'healthy', checkedAt: hourAgo } },
      { type: 'HealthStatusChanged', data: { ...base, remoteUrl: eu, status: 'healthy', checkedAt: hourAgo } },
      { type: 'HealthStatusChanged', data: { ...base, remoteUrl: eu, previousStatus: 'healthy', status: 'down', latencyMs: null, checkedAt: quarterAgo } },
      {
        type: 'ToolDriftDetected',
        data: { serverName: WEATHER, version: '1.0.0', remoteUrl: remote, approvedToolListHash: 'a'.repeat(64), observedToolListHash: 'b'.repeat(64), added: ['exfiltrate'], removed: [], changed: [], detectedAt: driftAt },
      },
    ]);
    await env.caughtUp();
    const body = await getJson<ServerResponse>(`/v0.1/servers/${enc(WEATHER)}/versions/1.0.0`, versionResponse);
    const { uptime, ...health } = body._meta[HEALTH]! as { uptime: { ratio: number; since: string } };
    expect(health).toEqual({ status: 'down', checkedAt: quarterAgo, drift: true, driftDetectedAt: driftAt });
    // The EU remote's: up 45 of the 60 minutes (a little less by the time of the answer).
    expect(uptime.since).toBe(hourAgo);
    expect(uptime.ratio).toBeGreaterThan(0.74);
    expect(uptime.ratio).toBeLessThanOrEqual(0.75);
    const listed = await getJson<ServerList>(`/v0.1/servers?search=${enc(WEATHER)}&version=1.0.0`, listResponse);
    expect(listed.servers[0]!._meta[HEALTH]!['uptime']).toMatchObject({ since: hourAgo, ratio: expect.closeTo(0.75, 2) });
    expect(env.search.servers.get(`${WEATHER}@1.0.0`)?.health).toBe('down');
  });
});

describe('the official list', () => {
  it('matches search as a case-insensitive substring of the name, wildcards literal', async () => {
    const found = await getJson<ServerList>('/v0.1/servers?search=WEATH', listResponse);
    expect(found.servers.map((s) => s.server.name)).toContain(WEATHER);
    expect((await getJson<ServerList>('/v0.1/servers?search=%25', listResponse)).servers).toEqual([]);
    expect((await getJson<ServerList>('/v0.1/servers?search=w_ather', listResponse)).servers).toEqual([]);
  });

  it('ignores unknown query parameters', async () => {
    const plain = await env.get('/v0.1/servers?limit=5');
    const extra = await env.get('/v0.1/servers?limit=5&sort=desc&foo=bar');
    expect(extra.statusCode).toBe(200);
    expect(extra.body).toBe(plain.body);
  });

  it('answers HEAD and CORS preflights on /v0.1 (GitHub Copilot needs CORS)', async () => {
    expect((await env.request({ method: 'HEAD', url: '/v0.1/servers' })).statusCode).toBe(200);
    const preflight = await env.request({
      method: 'OPTIONS',
      url: `/v0.1/servers/${enc(WEATHER)}/versions/latest`,
      headers: { origin: 'https://github.com', 'access-control-request-method': 'GET' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    const get = await env.get('/v0.1/servers?limit=1', { origin: 'https://github.com' });
    expect(get.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('bad input', () => {
  it.each([
    ['/v0.1/servers?cursor=not-a-cursor', 400, 'Invalid cursor parameter'],
    ['/v0.1/servers?cursor=%21%21', 400, 'Invalid cursor parameter'],
    ['/v0.1/servers?updated_since=yesterday', 400, undefined],
    ['/v0.1/servers?updated_since=2025-01-01T00:00:00Z&include_deleted=false', 400, undefined],
    ['/v0.1/servers?limit=abc', 422, 'validation failed'],
    ['/v0.1/servers?limit=1000', 422, 'validation failed'],
    ['/v0.1/servers?limit=0', 422, 'validation failed'],
    ['/v0.1/servers?include_deleted=perhaps', 422, 'validation failed'],
    [`/v0.1/servers/${enc(`${ANON}/nothing-here`)}/versions`, 404, 'Server not found'],
    [`/v0.1/servers/${enc(`${ANON}/nothing-here`)}/versions/latest`, 404, 'Server not found'],
    [`/v0.1/servers/${enc(WEATHER)}/versions/9.9.9`, 404, 'Server not found'],
  ])('%s -> %i problem+json', async (url, status, detail) => {
    const response = await env.get(url);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json<{ status: number; detail: string; title: string }>();
    expect(problem.status).toBe(status);
    if (detail) expect(problem.detail).toBe(detail);
  });
});

describe('real clients', () => {
  const PAGED = `${ANON}/page-`;

  beforeAll(async () => {
    // 250 servers, published through the publisher in small concurrent batches.
    const names = Array.from({ length: 250 }, (_, i) => `${PAGED}${String(i).padStart(3, '0')}`);
    for (let i = 0; i < names.length; i += 10) await Promise.all(names.slice(i, i + 10).map((name) => env.publish(serverJson(name, '1.0.0'))));
    await env.publish(serverJson(`${PAGED}000`, '1.1.0'));
    await env.caughtUp();
  }, 180_000);

  it('pages through 250 servers with the cursor, each exactly once, in name order', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page: ServerList = await getJson<ServerList>(`/v0.1/servers?search=${enc(PAGED)}&version=latest&limit=50${cursor ? `&cursor=${enc(cursor)}` : ''}`, listResponse);
      pages += 1;
      expect(page.metadata.count).toBe(page.servers.length);
      seen.push(...page.servers.map((s) => s.server.name));
      cursor = page.metadata.nextCursor;
      // As upstream: a cursor whenever the page is full, so 250 / 50 ends with an empty sixth page.
      expect(cursor !== undefined).toBe(page.servers.length === 50);
    } while (cursor);
    expect(pages).toBe(6);
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    expect(seen).toEqual([...seen].sort());
  });

  it('pages through every version with the default limit, (name, version) each once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page: ServerList = await getJson<ServerList>(`/v0.1/servers?search=${enc(PAGED)}${cursor ? `&cursor=${enc(cursor)}` : ''}`, listResponse);
      expect(page.servers.length).toBeLessThanOrEqual(30);
      seen.push(...page.servers.map((s) => `${s.server.name}@${s.server.version}`));
      cursor = page.metadata.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(251);
    expect(new Set(seen).size).toBe(251);
    expect(seen.slice(0, 2)).toEqual([`${PAGED}000@1.0.0`, `${PAGED}000@1.1.0`]);
  });

  it('serves the VS Code sequence: probe, latest pages with cursors, then /versions/latest', async () => {
    const probe = await getJson<ServerList>('/v0.1/servers?limit=1', listResponse);
    expect(probe.servers).toHaveLength(1);
    expect(probe.metadata.nextCursor).toEqual(expect.any(String));

    const all: ServerResponse[] = [];
    let cursor: string | undefined;
    do {
      const page: ServerList = await getJson<ServerList>(`/v0.1/servers?limit=50&version=latest${cursor ? `&cursor=${enc(cursor)}` : ''}`, listResponse);
      all.push(...page.servers);
      cursor = page.metadata.nextCursor;
    } while (cursor);
    // 250 paged servers and the weather server.
    expect(all).toHaveLength(251);
    for (const entry of all) {
      expect(entry._meta[OFFICIAL]).toMatchObject({ isLatest: true });
      for (const field of ['name', 'description', 'version']) expect(entry.server[field]).toEqual(expect.any(String));
    }
    const pick = all.find((s) => s.server.name === `${PAGED}000`)!;
    expect(pick.server.version).toBe('1.1.0');
    const detail = await getJson<ServerResponse>(`/v0.1/servers/${enc(pick.server.name)}/versions/latest`, versionResponse);
    expect(detail).toEqual(pick);
    const exact = await getJson<ServerResponse>(`/v0.1/servers/${enc(pick.server.name)}/versions/${enc(pick.server.version)}`, versionResponse);
    expect(exact).toEqual(pick);
  });
});

// Last: it publishes a server of its own, which the counts above do not expect.
describe('the version answer cache', () => {
  it('holds the anonymous answers in memory before anyone asks, the same text the read model gives', async () => {
    const cache = env.catalog.get(VersionResponseCache);
    const anonymous = visibilityFor(null, 'all', { includeDeleted: false });
    const NEW = `${ANON}/prefetched`;
    await env.publish(serverJson(NEW, '2.0.0'));
    await env.caughtUp();
    const held = await eventually(async () => cache.get(NEW, versionAnswerKey('latest', anonymous, false)), { what: 'the refilled answer', timeoutMs: 10_000 });
    expect(cache.get(NEW, versionAnswerKey('2.0.0', anonymous, false))).toEqual(held);
    const fromReadModel = await env.catalog.get(ServersRepository).findVersion(NEW, 'latest', anonymous);
    expect(held).toEqual({ found: true, body: serverResponseJson(fromReadModel!, anonymous) });
    expect((await env.get(`/v0.1/servers/${enc(NEW)}/versions/latest`)).body).toBe((held as { body: string }).body);
  });
});
