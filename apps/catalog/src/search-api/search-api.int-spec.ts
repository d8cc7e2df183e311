import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ANON, type CatalogTestEnv, serverJson, startCatalogTestEnv } from '../__fixtures__/catalog-test-env';

// Toolport's search API end to end: published through the real publisher, approved by scanner
// events, searched in a catalog wired as in production (embedded engine filled from the read model).
let env: CatalogTestEnv;
let catalog: NestFastifyApplication;
let reviewer: string;
const HASH = 'e'.repeat(64);

const tool = (name: string, description: string, properties: Record<string, unknown> = {}) => ({ name, description, inputSchema: { type: 'object', properties } });
const get = (url: string, token?: string) => catalog.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

async function approve(name: string, version: string, trustLevel: 'verified' | 'passed' | 'needs-review') {
  await env.scanner.append(
    `review-${name}@${version}`,
    [{ type: 'VersionApproved', data: { serverName: name, version, justification: 'ok', trustLevel, tools: [], toolListHash: HASH, automatic: false, approvedAt: new Date().toISOString() } }],
    { kind: 'user', id: 'rita-reviewer' },
  );
}

beforeAll(async () => {
  env = await startCatalogTestEnv('searchapi');
  reviewer = await env.tokenWithRoles('rita-reviewer', ['reviewer']);
  await env.publish(
    serverJson(`${ANON}/git-tools`, '1.0.0', {
      title: 'Git Tools',
      description: 'Work with git repositories',
      packages: [{ registryType: 'npm', identifier: '@acme/git-mcp', version: '1.0.0', transport: { type: 'stdio' } }],
      _meta: { 'io.toolport/tools': [tool('git_diff', 'Show the diff between two branches', { base: { type: 'string' }, head: { type: 'string' } }), tool('git_log', 'Show commit history')] },
    }),
  );
  await env.publish(serverJson(`${ANON}/git-tools`, '1.1.0', { title: 'Git Tools', description: 'Work with git repositories' }));
  await env.publish(serverJson(`${ANON}/git-tools`, '2.0.0', { title: 'Git Tools', description: 'Work with git repositories' }));
  await env.publish(
    serverJson(`${ANON}/weather`, '0.3.0', {
      title: 'Weather',
      description: 'Forecasts for any city',
      remotes: [{ type: 'streamable-http', url: 'https://weather.example.com/mcp' }],
      _meta: { 'io.toolport/tools': [tool('forecast', 'Weather forecast for a city', { city: { type: 'string' } })] },
    }),
  );
  await env.publish(serverJson(`${ANON}/unreviewed-files`, '1.0.0', { title: 'Files', description: 'Read and write files' }));
  await approve(`${ANON}/git-tools`, '1.0.0', 'verified');
  await approve(`${ANON}/git-tools`, '1.1.0', 'passed');
  await approve(`${ANON}/weather`, '0.3.0', 'passed');
  await env.caughtUp();
  catalog = await env.startProductionCatalog();
}, 120_000);

afterAll(async () => {
  await catalog?.close();
  await env?.close();
});

describe('GET /api/v1/search', () => {
  it('finds servers with a typo, highlights the match, and hides unapproved versions from agents', async () => {
    const response = await get('/api/v1/search?q=gti%20reposotories');
    expect(response.statusCode).toBe(200);
    const body = response.json<{ items: Array<{ name: string; version: string; highlights: Record<string, string> }>; total: number }>();
    expect(body.items.map((i) => `${i.name}@${i.version}`).sort()).toEqual([`${ANON}/git-tools@1.0.0`, `${ANON}/git-tools@1.1.0`]);
    expect(JSON.stringify(body.items[0]!.highlights)).toContain('<em>');
    const files = await get('/api/v1/search?q=files');
    expect(files.json<{ items: unknown[] }>().items).toHaveLength(0);
    const asReviewer = await get('/api/v1/search?q=files', reviewer);
    expect(asReviewer.json<{ items: Array<{ name: string }> }>().items.map((i) => i.name)).toContain(`${ANON}/unreviewed-files`);
  });

  it('filters by trust and transport and counts facets over all matches', async () => {
    const verified = await get('/api/v1/search?q=git&minTrust=verified');
    expect(verified.json<{ items: Array<{ version: string }> }>().items.map((i) => i.version)).toEqual(['1.0.0']);
    const remote = await get('/api/v1/search?transport=streamable-http');
    expect(remote.json<{ items: Array<{ name: string }> }>().items.map((i) => i.name)).toEqual([`${ANON}/weather`]);
    const facets = (await get('/api/v1/search?q=&facets=all')).json<{ facets: Record<string, Record<string, number>> }>().facets;
    expect(facets['trustLevel']).toMatchObject({ verified: 1, passed: 2 });
    expect(Object.keys((await get('/api/v1/search?q=&facets=trustLevel')).json<{ facets: object }>().facets)).toEqual(['trustLevel']);
    // Facets are counted on request only.
    expect((await get('/api/v1/search?q=')).json<{ facets: object }>().facets).toEqual({});
  });

  it('documents the search parameters in /docs', async () => {
    const document = (await get('/docs/json')).json<{ paths: Record<string, { get: { parameters: Array<{ name: string }> } }> }>();
    const names = (path: string) => document.paths[path]!.get.parameters.map((p) => p.name);
    expect(names('/api/v1/search')).toEqual(expect.arrayContaining(['q', 'limit', 'cursor', 'minTrust', 'health', 'facets']));
    expect(names('/api/v1/tools/search')).not.toContain('facets');
    expect(names('/api/v1/servers/{serverName}/resolve')).toEqual(expect.arrayContaining(['serverName', 'range', 'from']));
  });

  it('refuses malformed parameters with 400 problem+json and ignores unknown ones', async () => {
    for (const url of [`/api/v1/search?q=${'x'.repeat(201)}`, '/api/v1/search?minTrust=great', '/api/v1/search?limit=0', '/api/v1/search?cursor=%%%garbage', '/api/v1/search?facets=colour']) {
      const response = await get(url);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await get('/api/v1/search?q=git&utm_source=x')).statusCode).toBe(200);
  });
});

describe('GET /api/v1/tools/search', () => {
  it('finds a tool by what it does, with its server and version', async () => {
    const response = await get('/api/v1/tools/search?q=diff%20between%20branches');
    const items = response.json<{ items: Array<{ tool: { name: string }; server: { name: string; version: string } }> }>().items;
    expect(items[0]).toMatchObject({ tool: { name: 'git_diff' }, server: { name: `${ANON}/git-tools`, version: '1.0.0' } });
  });
});

describe('GET /api/v1/servers/{name}/resolve', () => {
  const resolve = (query: string, token?: string) => get(`/api/v1/servers/${encodeURIComponent(`${ANON}/git-tools`)}/resolve?${query}`, token);

  it('resolves a caret range to the highest approved version, with changes since from', async () => {
    const response = await resolve('range=%5E1.0.0&from=1.0.0');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ version: '1.1.0', deprecated: false, breakingSinceFrom: true });
  });

  it('says why nothing matched (404) and refuses a bad range (400)', async () => {
    const none = await resolve('range=%5E2.0.0');
    expect(none.statusCode).toBe(404);
    expect(none.json<{ detail: string }>().detail).toContain('2.0.0 is not approved');
    expect((await resolve('range=banana')).statusCode).toBe(400);
    expect((await resolve('')).statusCode).toBe(400);
    // A reviewer's agent installs what was approved, too: 2.0.0 is pending.
    const forReviewer = await resolve('range=%5E2.0.0', reviewer);
    expect(forReviewer.statusCode).toBe(404);
    expect(forReviewer.json<{ detail: string }>().detail).toContain('2.0.0 is not approved');
  });

  it('does not reveal a server with no version the caller may see', async () => {
    const url = `/api/v1/servers/${encodeURIComponent(`${ANON}/unreviewed-files`)}/resolve?range=*`;
    const forAgent = await get(url);
    expect(forAgent.statusCode).toBe(404);
    expect(forAgent.headers['content-type']).toContain('application/problem+json');
    expect(forAgent.json()).toMatchObject({ code: 'SERVER_NOT_FOUND' });
    expect(forAgent.body).not.toContain('1.0.0');
    const forReviewer = await get(url, reviewer);
    expect(forReviewer.json<{ detail: string }>().detail).toContain('1.0.0 is not approved');
  });
});
