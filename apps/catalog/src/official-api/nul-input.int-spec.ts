import type { LightMyRequestResponse } from 'fastify';
import { ANON, type CatalogTestEnv, serverJson, startCatalogTestEnv } from '../__fixtures__/catalog-test-env';

// PostgreSQL refuses U+0000 in text (22021) and jsonb (22P05): a NUL in a query value, a path
// segment or a JSON body is the caller's mistake and must be a 400 problem+json naming where it
// is, never a 500. The official API (/v0, /v0.1) and Toolport's own APIs alike.
let env: CatalogTestEnv;
const WEATHER = `${ANON}/nul-weather`;
const enc = encodeURIComponent;
const cursorOf = (name: string, version: string) => Buffer.from(JSON.stringify([name, version]), 'utf8').toString('base64url');

interface Problem {
  status: number;
  title: string;
  detail: string;
  errors?: Array<{ message: string; location?: string }>;
}

function expectRefused(response: LightMyRequestResponse, location: string, detail?: string): void {
  expect({ status: response.statusCode, body: response.body }).toMatchObject({ status: 400 });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = response.json<Problem>();
  expect(problem).toMatchObject({ status: 400, title: 'Bad Request' });
  expect(problem.detail).toBe(detail ?? `${location} contains a NUL character (U+0000), which is not allowed`);
  expect(problem.errors?.map((e) => e.location)).toEqual([location]);
}

beforeAll(async () => {
  env = await startCatalogTestEnv('nulinput', { TOOLPORT_CATALOG_VISIBILITY: 'all' });
  await env.publish(serverJson(WEATHER, '1.0.0'));
  await env.caughtUp();
}, 90_000);

afterAll(async () => {
  await env?.close();
});

describe('NUL characters in catalog requests', () => {
  it.each([
    ['/v0.1/servers?search=%00', 'query.search'],
    ['/v0.1/servers?search=weather%00&limit=5', 'query.search'],
    ['/v0/servers?version=1.0.0%00', 'query.version'],
    ['/v0.1/servers/a%00b/versions/latest', 'path.serverName'],
    ['/v0/servers/a%00b/versions', 'path.serverName'],
    [`/v0.1/servers/${enc(WEATHER)}/versions/1.0.0%00`, 'path.version'],
    ['/api/v1/servers/a%00b/resolve?range=1', 'path.serverName'],
    [`/api/v1/servers/${enc(WEATHER)}/resolve?range=%5E1.0.0&from=1.0.0%00`, 'query.from'],
    ['/api/v1/search?q=%00', 'query.q'],
    ['/api/v1/tools/search?q=git&namespace=io%00', 'query.namespace'],
  ])('GET %s -> 400 problem+json naming %s', async (url, location) => {
    expectRefused(await env.get(url), location);
  });

  it('refuses a NUL in a path segment with a token too (no answer cache, the auth guard runs)', async () => {
    const reviewer = await env.tokenWithRoles('rita-reviewer', ['reviewer']);
    expectRefused(await env.get('/v0.1/servers/a%00b/versions/latest', { authorization: `Bearer ${reviewer}` }), 'path.serverName');
  });

  it('refuses a cursor whose decoded content holds a NUL as an invalid cursor', async () => {
    expectRefused(await env.get(`/v0.1/servers?cursor=${cursorOf(`${ANON}/a\u0000b`, '1.0.0')}`), 'query.cursor', 'Invalid cursor parameter');
    expectRefused(await env.get(`/v0.1/servers?cursor=${cursorOf(WEATHER, '1.0.0\u0000')}&limit=5`), 'query.cursor', 'Invalid cursor parameter');
  });

  it('refuses a NUL in an MCP tool call body', async () => {
    const response = await env.request({
      method: 'POST',
      url: '/mcp',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      payload: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_server', arguments: { name: `${ANON}/a\u0000b` } } },
    });
    expectRefused(response, 'body.params.arguments.name');
  });

  it('still serves the same requests without the NUL', async () => {
    expect((await env.get(`/v0.1/servers/${enc(WEATHER)}/versions/latest`)).statusCode).toBe(200);
    expect((await env.get('/v0.1/servers?search=weather')).statusCode).toBe(200);
    expect((await env.get(`/api/v1/servers/${enc(WEATHER)}/resolve?range=%5E1.0.0&from=1.0.0`)).statusCode).toBe(200);
  });
});
