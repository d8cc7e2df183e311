import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SEARCH_INDEX, type SearchIndex } from '../search/search-index';
import { ANON, type CatalogTestEnv, serverJson, startCatalogTestEnv } from '../__fixtures__/catalog-test-env';

// Published -> searchable while the catalog runs: every change reaches the embedded engine of a
// running catalog (default visibility `approved`) through its projections, and shows over HTTP
// in GET /api/v1/search and /api/v1/tools/search (search-api.int-spec.ts starts its catalog only
// after all publishing, so it sees documents filled from the read model, never live updates).
let env: CatalogTestEnv;
let catalog: NestFastifyApplication;
let reviewer: string;

const HASH = 'f'.repeat(64);
const ORBIT = `${ANON}/orbit-tracker`;
const DECOY = `${ANON}/recipe-box`;
const REMOTE = 'https://orbit.example.com/mcp';

interface ServerHit {
  name: string;
  version: string;
  status: string;
  approved: boolean;
  health: string | null;
  tools: string[];
}
interface ToolHit {
  tool: { name: string };
  server: { name: string; version: string };
  approved: boolean;
  health: string | null;
}

const get = (url: string, token?: string) => catalog.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

async function items<T>(path: string, query: Record<string, string>, token?: string): Promise<T[]> {
  const response = await get(`${path}?${new URLSearchParams(query).toString()}`, token);
  if (response.statusCode !== 200) throw new Error(`GET ${path}: ${response.statusCode} ${response.body}`);
  return response.json<{ items: T[] }>().items;
}
const servers = (query: Record<string, string>, token?: string) => items<ServerHit>('/api/v1/search', query, token);
const tools = (query: Record<string, string>, token?: string) => items<ToolHit>('/api/v1/tools/search', query, token);
const ids = (hits: ServerHit[]) => hits.map((h) => `${h.name}@${h.version}`);
const orbitHit = async (token?: string) => (await servers({ q: 'orbit' }, token)).find((h) => h.name === ORBIT);
const orbitTool = async (token?: string) => (await tools({ q: 'satellite passes overhead' }, token)).find((t) => t.server.name === ORBIT);

function review(type: 'VersionApproved' | 'ApprovalRevoked', name: string, version: string) {
  const base = { serverName: name, version, justification: 'reviewed' };
  const at = new Date().toISOString();
  const data = type === 'VersionApproved' ? { ...base, trustLevel: 'passed', tools: [], toolListHash: HASH, automatic: false, approvedAt: at } : { ...base, revokedAt: at };
  return env.scanner.append(`review-${name}@${version}`, [{ type, data }], { kind: 'user', id: 'rita-reviewer' });
}

let checks = 0;
function healthChange(status: 'degraded' | 'healthy', previousStatus: 'degraded' | 'healthy' | null) {
  checks += 1;
  const checkedAt = new Date(Date.UTC(2030, 0, 1, 0, checks)).toISOString();
  return env.health.append(`endpoint-${ORBIT}@1.0.0`, [
    { type: 'HealthStatusChanged', data: { serverName: ORBIT, version: '1.0.0', remoteUrl: REMOTE, previousStatus, status, reason: 'probe', latencyMs: 20, checkedAt } },
  ]);
}

beforeAll(async () => {
  env = await startCatalogTestEnv('searchlive', {}, { productionSearch: true });
  catalog = env.catalog;
  reviewer = await env.tokenWithRoles('rita-reviewer', ['reviewer']);
  expect(catalog.get<symbol, SearchIndex>(SEARCH_INDEX).engine).toBe('embedded');

  await env.publish(
    serverJson(DECOY, '1.0.0', {
      title: 'Recipe Box',
      description: 'Stores cooking recipes',
      packages: [{ registryType: 'pypi', identifier: 'recipe-box-server', version: '1.0.0', transport: { type: 'stdio' } }],
      _meta: { 'io.toolport/tools': [{ name: 'find_recipe', description: 'Find a recipe by ingredient', inputSchema: { type: 'object', properties: {} } }] },
    }),
  );
  await review('VersionApproved', DECOY, '1.0.0');
  await env.caughtUp();
}, 120_000);

afterAll(async () => {
  await env?.close();
});

describe('a version published while the catalog runs', () => {
  it('is found by reviewers at once, and by anonymous callers only once approved', async () => {
    await env.publish(
      serverJson(ORBIT, '1.0.0', {
        title: 'Orbit Tracker',
        description: 'Tracks satellites in orbit',
        packages: [{ registryType: 'npm', identifier: '@acme/zephyr-mcp', version: '1.0.0', transport: { type: 'stdio' } }],
        remotes: [{ type: 'streamable-http', url: REMOTE }],
        _meta: {
          'io.modelcontextprotocol.registry/publisher-provided': { keywords: ['astronomy'], tags: ['kepler'] },
          'io.toolport/tools': [{ name: 'predict_pass', description: 'Predict when a satellite passes overhead', inputSchema: { type: 'object', properties: { latitude: { type: 'number' } } } }],
        },
      }),
    );
    await env.caughtUp();

    expect(await orbitHit(reviewer)).toMatchObject({ version: '1.0.0', status: 'active', approved: false, health: null, tools: ['predict_pass'] });
    expect(await orbitTool(reviewer)).toMatchObject({ tool: { name: 'predict_pass' }, server: { version: '1.0.0' }, approved: false });
    expect(await orbitHit()).toBeUndefined();
    expect(await orbitTool()).toBeUndefined();
    expect(await servers({ q: '' })).toEqual([expect.objectContaining({ name: DECOY })]);
    // Anonymous search itself works: the approved decoy is found, server and tool.
    expect(ids(await servers({ q: 'recipes' }))).toEqual([`${DECOY}@1.0.0`]);
    expect((await tools({ q: 'ingredient' })).map((t) => t.tool.name)).toEqual(['find_recipe']);

    await review('VersionApproved', ORBIT, '1.0.0');
    await env.caughtUp();
    expect(await orbitHit()).toMatchObject({ version: '1.0.0', status: 'active', approved: true });
    expect(await orbitTool()).toMatchObject({ tool: { name: 'predict_pass' }, server: { version: '1.0.0' }, approved: true });
  });

  it('is found by a publisher-provided keyword or tag and by its package identifier', async () => {
    for (const q of ['astronomy', 'kepler', '@acme/zephyr-mcp', 'zephyr']) {
      expect([q, ids(await servers({ q }))]).toEqual([q, [`${ORBIT}@1.0.0`]]);
      expect([q, ids(await servers({ q }, reviewer))]).toEqual([q, [`${ORBIT}@1.0.0`]]);
    }
    // The decoy's words do not find it, and its own package identifier finds only the decoy.
    expect(ids(await servers({ q: 'recipe-box-server' }))).toEqual([`${DECOY}@1.0.0`]);
  });

  it('shows a status change to deprecated in the hit', async () => {
    await env.setStatus(ORBIT, '1.0.0', 'deprecated', 'use orbit-tracker 2');
    await env.caughtUp();
    expect(await orbitHit()).toMatchObject({ version: '1.0.0', status: 'deprecated' });
    expect(await orbitHit(reviewer)).toMatchObject({ version: '1.0.0', status: 'deprecated' });
    expect(await orbitTool()).toMatchObject({ server: { version: '1.0.0' } });
  });

  it('shows health status changes in the hit and in the health filter', async () => {
    expect(ids(await servers({ health: 'degraded' }))).toEqual([]);
    await healthChange('degraded', null);
    await env.caughtUp();
    expect(await orbitHit()).toMatchObject({ health: 'degraded' });
    expect(await orbitTool()).toMatchObject({ health: 'degraded' });
    expect(ids(await servers({ health: 'degraded' }))).toEqual([`${ORBIT}@1.0.0`]);
    expect(ids(await servers({ q: 'orbit', health: 'healthy' }))).toEqual([]);
    expect((await tools({ q: 'satellite', health: 'degraded' })).map((t) => t.server.name)).toEqual([ORBIT]);

    await healthChange('healthy', 'degraded');
    await env.caughtUp();
    expect(await orbitHit()).toMatchObject({ health: 'healthy' });
    expect(ids(await servers({ health: 'healthy' }))).toEqual([`${ORBIT}@1.0.0`]);
    expect(ids(await servers({ health: 'degraded' }))).toEqual([]);
    expect(await tools({ q: 'satellite', health: 'degraded' })).toEqual([]);
  });

  it('is hidden from anonymous callers again when its approval is revoked, not from reviewers', async () => {
    await review('ApprovalRevoked', ORBIT, '1.0.0');
    await env.caughtUp();
    expect(await orbitHit()).toBeUndefined();
    expect(await orbitTool()).toBeUndefined();
    expect(ids(await servers({ q: 'astronomy' }))).toEqual([]);
    expect(await orbitHit(reviewer)).toMatchObject({ approved: false, status: 'deprecated' });
    expect(await orbitTool(reviewer)).toMatchObject({ approved: false });
  });

  it('is gone from search and tool search once deleted, for reviewers too', async () => {
    await env.setStatus(ORBIT, '1.0.0', 'deleted');
    await env.caughtUp();
    for (const token of [reviewer, undefined]) {
      expect(await orbitHit(token)).toBeUndefined();
      expect(await orbitTool(token)).toBeUndefined();
      expect(ids(await servers({ q: 'zephyr' }, token))).toEqual([]);
    }
    // Only that version went: the decoy is still there.
    expect(ids(await servers({ q: '' }))).toEqual([`${DECOY}@1.0.0`]);
  });
});
