import { describeFaults, officialResponseValidator } from '@toolport/testing';
import { bearer, officialExamples, type PublisherTestApp, serverJson as server, startPublisher } from '../__fixtures__/publisher-test-app';

// The official publish and status API against a real publisher (Postgres, NATS, Redis).
let publisher: PublisherTestApp;
let token: string;

const publishResponse = officialResponseValidator('/v0.1/publish', 'post', '200');
const versionStatusResponse = officialResponseValidator('/v0.1/servers/{serverName}/versions/{version}/status', 'patch', '200');
const serverStatusResponse = officialResponseValidator('/v0.1/servers/{serverName}/status', 'patch', '200');
const OFFICIAL = 'io.modelcontextprotocol.registry/official';

interface ServerResponseBody {
  server: { name: string; version: string };
  _meta: Record<string, Record<string, unknown>>;
}

const publish = (body: unknown, auth = token, prefix = '/v0') =>
  publisher.request({ method: 'POST', url: `${prefix}/publish`, headers: bearer(auth), payload: body as object });
const enc = encodeURIComponent;
const storedEvents = async (type?: string) =>
  Number(
    (
      await publisher.app
        .get<symbol, import('pg').Pool>(Symbol.for('toolport.PgPool'))
        .query(`select count(*) from ${publisher.instance}_publisher.events ${type ? 'where type = $1' : ''}`, type ? [type] : [])
    ).rows[0].count,
  );

beforeAll(async () => {
  publisher = await startPublisher('publish');
  token = await publisher.anonymousToken();
}, 60_000);

afterAll(async () => {
  await publisher?.close();
});

describe('POST /publish', () => {
  it.each(officialExamples().map((e) => [e.file, e.server] as const))('publishes the official example %s, answering the official ServerResponse', async (_file, example) => {
    const response = await publish(example);
    expect(response.statusCode).toBe(200);
    const body = response.json<ServerResponseBody>();
    expect(publishResponse(body)).toBe(true);
    if (!publishResponse(body)) throw new Error(describeFaults(publishResponse).join('\n'));
    expect(body.server).toMatchObject({ name: example.name, version: example.version });
    expect(body._meta[OFFICIAL]).toMatchObject({ status: 'active', isLatest: true });
    expect(body._meta[OFFICIAL]!['publishedAt']).toBe(body._meta[OFFICIAL]!['updatedAt']);
  });

  it('serves /v0.1/publish with the same handler', async () => {
    const response = await publish(server('io.modelcontextprotocol.anonymous/v01-path', '1.0.0'), token, '/v0.1');
    expect(response.statusCode).toBe(200);
  });

  it('refuses a duplicate version as the official registry does, storing nothing', async () => {
    const body = server('io.modelcontextprotocol.anonymous/dup', '1.0.0');
    expect((await publish(body)).statusCode).toBe(200);
    const before = await storedEvents();
    const again = await publish(body);
    expect(again.statusCode).toBe(400);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.json()).toMatchObject({ status: 400, detail: 'invalid version: cannot publish duplicate version' });
    expect(await storedEvents()).toBe(before);
  });

  it('refuses a name outside the token’s namespaces with 403 naming what it may publish to', async () => {
    const response = await publish(server('com.acme/tool', '1.0.0'));
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toContain('io.modelcontextprotocol.anonymous/*');
  });

  it('refuses a publish without a token (401)', async () => {
    const response = await publisher.request({ method: 'POST', url: '/v0/publish', payload: server('io.modelcontextprotocol.anonymous/x', '1.0.0') });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses an invalid server.json with 422 naming every fault’s path, storing nothing', async () => {
    const before = await storedEvents();
    const response = await publish({ ...server('io.modelcontextprotocol.anonymous/bad', 'latest'), description: 'x'.repeat(101), websiteUrl: 'http://plain.example' });
    expect(response.statusCode).toBe(422);
    const problem = response.json<{ errors: Array<{ location: string }> }>();
    const locations = problem.errors.map((e) => e.location).join(' ');
    expect(locations).toMatch(/version/);
    expect(locations).toMatch(/description/);
    expect(locations).toMatch(/websiteUrl/);
    expect(await storedEvents()).toBe(before);
  });

  it('refuses a remote URL that belongs to another server, storing nothing', async () => {
    const remotes = [{ type: 'streamable-http', url: 'https://mcp.shared.example.com/mcp' }];
    expect((await publish(server('io.modelcontextprotocol.anonymous/owner', '1.0.0', { remotes }))).statusCode).toBe(200);
    expect((await publish(server('io.modelcontextprotocol.anonymous/owner', '1.1.0', { remotes }))).statusCode).toBe(200);
    const before = await storedEvents();
    const thief = await publish(server('io.modelcontextprotocol.anonymous/thief', '1.0.0', { remotes: [{ type: 'streamable-http', url: 'https://MCP.shared.example.com/mcp/' }] }));
    expect(thief.statusCode).toBe(400);
    expect(thief.json().detail).toContain('io.modelcontextprotocol.anonymous/owner');
    expect(await storedEvents()).toBe(before);
  });

  it('records VersionPublished with the actor, the server.json and the tools', async () => {
    const tools = [{ name: 'forecast', description: 'Weather forecast', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
    const response = await publish(server('io.modelcontextprotocol.anonymous/evented', '1.0.0', { _meta: { 'io.toolport/tools': tools } }));
    expect(response.statusCode).toBe(200);
    const pool = publisher.app.get<symbol, import('pg').Pool>(Symbol.for('toolport.PgPool'));
    const { rows } = await pool.query(`select data, metadata from ${publisher.instance}_publisher.events where stream_id = $1 and type = 'VersionPublished'`, [
      'server-io.modelcontextprotocol.anonymous/evented',
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].data).toMatchObject({ serverName: 'io.modelcontextprotocol.anonymous/evented', version: '1.0.0', tools, isLatest: true });
    expect(rows[0].metadata.actor.kind).toBe('anonymous');
  });
});

describe('registry info', () => {
  it.each(['/v0', '/v0.1'])('answers %s/health, /ping and /version as the official registry', async (prefix) => {
    expect((await publisher.request({ method: 'GET', url: `${prefix}/health` })).json()).toEqual({ status: 'ok' });
    expect((await publisher.request({ method: 'GET', url: `${prefix}/ping` })).json()).toEqual({ pong: true });
    expect(Object.keys((await publisher.request({ method: 'GET', url: `${prefix}/version` })).json()).sort()).toEqual(['build_time', 'git_commit', 'version']);
  });
});

describe('PATCH status', () => {
  const name = 'io.modelcontextprotocol.anonymous/lifecycle';
  const patch = (url: string, payload: object) => publisher.request({ method: 'PATCH', url, headers: bearer(token), payload });

  beforeAll(async () => {
    for (const version of ['1.0.0', '1.1.0', '2.0.0+build.7']) expect((await publish(server(name, version))).statusCode).toBe(200);
  });

  it('deprecates one version (URL-encoded name and + in the version) with the official response', async () => {
    const response = await patch(`/v0/servers/${enc(name)}/versions/${enc('2.0.0+build.7')}/status`, { status: 'deprecated', statusMessage: 'use 3' });
    expect(response.statusCode).toBe(200);
    expect(versionStatusResponse(response.json())).toBe(true);
    expect(response.json()._meta[OFFICIAL]).toMatchObject({ status: 'deprecated', statusMessage: 'use 3', isLatest: true });
  });

  it('moves latest when the latest is deleted', async () => {
    const response = await patch(`/v0.1/servers/${enc(name)}/versions/${enc('2.0.0+build.7')}/status`, { status: 'deleted' });
    expect(response.statusCode).toBe(200);
    expect(response.json()._meta[OFFICIAL]).toMatchObject({ status: 'deleted', isLatest: false });
  });

  it('refuses a change that changes nothing, and a message with active', async () => {
    expect((await patch(`/v0/servers/${enc(name)}/versions/1.0.0/status`, { status: 'active' })).statusCode).toBe(400);
    expect((await patch(`/v0/servers/${enc(name)}/versions/1.0.0/status`, { status: 'active', statusMessage: 'x' })).statusCode).toBe(400);
    expect((await patch(`/v0/servers/${enc(name)}/versions/1.0.0/status`, { status: 'gone' })).statusCode).toBe(422);
    expect((await patch(`/v0/servers/${enc(name)}/versions/9.9.9/status`, { status: 'deleted' })).statusCode).toBe(404);
  });

  it('changes every version at once and answers {updatedCount, servers}', async () => {
    const response = await patch(`/v0/servers/${enc(name)}/status`, { status: 'deprecated', statusMessage: 'sunset' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(serverStatusResponse(body)).toBe(true);
    expect(body.updatedCount).toBe(3);
  });

  it('refuses status changes in a namespace the token does not hold', async () => {
    const response = await publisher.request({ method: 'PATCH', url: `/v0/servers/${enc('com.other/x')}/status`, headers: bearer(token), payload: { status: 'deleted' } });
    expect(response.statusCode).toBe(403);
  });
});

describe('limits', () => {
  it('answers 413 beyond the body limit and 429 beyond the write rate, as problem+json', async () => {
    const limited = await startPublisher('limits', { TOOLPORT_BODY_LIMIT_BYTES: '2048', TOOLPORT_RATE_LIMIT_TOKEN_PER_MINUTE: '3' });
    try {
      const limitedToken = await limited.anonymousToken();
      const big = await limited.request({ method: 'POST', url: '/v0/publish', headers: bearer(limitedToken), payload: server('io.modelcontextprotocol.anonymous/big', '1.0.0', { title: 'x'.repeat(4000) }) });
      expect(big.statusCode).toBe(413);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await limited.request({ method: 'POST', url: '/v0/publish', headers: bearer(limitedToken), payload: server('io.modelcontextprotocol.anonymous/rated', `1.0.${i}`) });
        statuses.push(r.statusCode);
        if (r.statusCode === 429) {
          expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
        }
      }
      expect(statuses).toEqual([200, 200, 429, 429]); // the 413 counted as the first write
    } finally {
      await limited.close();
    }
  });
});
