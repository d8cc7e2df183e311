import type { Pool } from 'pg';
import { ANON, type CatalogTestEnv, serverJson, startCatalogTestEnv } from '../__fixtures__/catalog-test-env';
import { RecordingSearchIndex } from '../__fixtures__/recording-search-index';
import { REBUILT_TABLES } from '../read-model/read-model.migrations';
import { SEARCH_INDEX, type SearchIndex } from '../search/search-index';
import { rebuildReadModel } from './rebuild-read-model';

// Rebuild equals live: replaying the publisher, scanner and health streams from their first
// message gives the same read-model rows and the same search documents as the live projections,
// and the live projections carry on after it without applying anything twice.
let env: CatalogTestEnv;
const HASH = 'd'.repeat(64);

async function snapshot(pool: Pool, schema: string): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const table of REBUILT_TABLES) {
    // server_json as text: the exact bytes must survive, not just an equal parse.
    const select = table === 'versions' ? '*, server_json::text AS server_json' : '*';
    const { rows } = await pool.query(`SELECT ${select} FROM ${schema}.${table} ORDER BY 1, 2${table === 'tools' ? ', 3' : ''}`);
    tables[table] = rows;
  }
  return tables;
}

const tool = (name: string) => ({ name, description: `the ${name} tool`, inputSchema: { type: 'object', properties: { arg: { type: 'string' } } } });

beforeAll(async () => {
  env = await startCatalogTestEnv('rebuild');
  for (let i = 0; i < 12; i++) {
    const name = `${ANON}/rebuild-${String(i).padStart(2, '0')}`;
    await env.publish(serverJson(name, '1.0.0', { _meta: { 'io.toolport/tools': [tool('read'), tool('write')] } }));
    if (i % 3 === 0) await env.publish(serverJson(name, '1.1.0', { remotes: [{ type: 'streamable-http', url: `https://rebuild-${i}.example.com/mcp` }] }));
    if (i % 4 === 0) await env.setStatus(name, '1.0.0', 'deprecated', 'old');
    if (i === 5) await env.setStatus(name, '1.0.0', 'deleted');
    const at = new Date(Date.UTC(2030, 0, 1, 0, i)).toISOString();
    await env.scanner.append(`scan-${name}@1.0.0`, [
      { type: 'ScanRequested', data: { serverName: name, version: '1.0.0', rulesVersion: 'r1', reason: 'published', requestedAt: at } },
      i === 7
        ? { type: 'ScanFailed', data: { serverName: name, version: '1.0.0', rulesVersion: 'r1', reason: 'timeout', retryable: true, failedAt: at } }
        : {
            type: 'ScanCompleted',
            data: {
              serverName: name,
              version: '1.0.0',
              rulesVersion: 'r1',
              score: 50 + i,
              trustLevel: i % 2 ? 'passed' : 'needs-review',
              findings: [{ ruleId: 'x', ruleVersion: '1', severity: 'medium', confidence: 'high', location: 'tools.read.description', evidence: 'e', message: 'm' }],
              tools: [],
              toolListHash: HASH,
              completedAt: at,
            },
          },
    ]);
    if (i % 2) {
      await env.scanner.append(`review-${name}@1.0.0`, [
        { type: 'VersionApproved', data: { serverName: name, version: '1.0.0', justification: 'ok', trustLevel: 'passed', tools: [], toolListHash: HASH, automatic: i % 3 === 0, approvedAt: at } },
      ]);
    }
    if (i % 3 === 0) {
      const url = `https://rebuild-${i}.example.com/mcp`;
      await env.health.append(`endpoint-${name}@1.1.0`, [
        { type: 'HealthStatusChanged', data: { serverName: name, version: '1.1.0', remoteUrl: url, previousStatus: null, status: 'healthy', reason: 'ok', latencyMs: 10, checkedAt: at } },
        { type: 'HealthStatusChanged', data: { serverName: name, version: '1.1.0', remoteUrl: url, previousStatus: 'healthy', status: 'degraded', reason: 'slow', latencyMs: 900, checkedAt: at } },
      ]);
    }
  }
  await env.health.append(`endpoint-${ANON}/rebuild-03@1.1.0`, [
    {
      type: 'ToolDriftDetected',
      data: { serverName: `${ANON}/rebuild-03`, version: '1.1.0', remoteUrl: 'https://rebuild-3.example.com/mcp', approvedToolListHash: HASH, observedToolListHash: 'e'.repeat(64), added: ['x'], removed: [], changed: [], detectedAt: '2030-02-01T00:00:00.000Z' },
    },
  ]);
  await env.caughtUp();
}, 120_000);

afterAll(async () => {
  await env?.close();
});

it('rebuilds the same rows and search documents as the live projections, while the catalog runs', async () => {
  const live = await snapshot(env.catalogPool, env.catalogSchema);
  const liveDocuments = { servers: new Map(env.search.servers), tools: new Map(env.search.tools) };
  expect(live['versions']).toHaveLength(16);
  expect(live['version_security']).toHaveLength(12);

  // Damage the read model, so a rebuild that did nothing could not pass.
  await env.catalogPool.query(`DELETE FROM ${env.catalogSchema}.versions WHERE server_name = $1`, [`${ANON}/rebuild-00`]);
  await env.catalogPool.query(`UPDATE ${env.catalogSchema}.version_security SET approval = 'rejected'`);

  const rebuiltIndex = new RecordingSearchIndex();
  let planned = 0;
  let ticks = 0;
  const report = await rebuildReadModel({
    pool: env.catalogPool,
    schema: env.catalogSchema,
    instance: env.instance,
    nc: env.nc,
    search: rebuiltIndex,
    onPlan: (total) => (planned = total),
    onMessage: () => (ticks += 1),
  });

  expect(await snapshot(env.catalogPool, env.catalogSchema)).toEqual(live);
  expect(rebuiltIndex.servers).toEqual(liveDocuments.servers);
  expect(rebuiltIndex.tools).toEqual(liveDocuments.tools);
  expect(ticks).toBe(planned);
  expect(report.counts).toMatchObject({ servers: 12, versions: 16, tools: 24, deprecated: 3, deleted: 1, approved: 6, scanned: 11, withHealth: 4, drifted: 1 });
  expect(report.messages['catalog-publisher-events']).toBe(report.applied - (report.messages['catalog-scanner-events']! + report.messages['catalog-health-events']!));
}, 60_000);

it('lets the live projections carry on after a rebuild without applying anything twice', async () => {
  await env.publish(serverJson(`${ANON}/after-rebuild`, '1.0.0'));
  await env.caughtUp();
  const { rows } = await env.catalogPool.query<{ count: string }>(`SELECT count(*) FROM ${env.catalogSchema}.versions`);
  expect(Number(rows[0]!.count)).toBe(17);
  const response = await env.get(`/v0.1/servers/${encodeURIComponent(`${ANON}/after-rebuild`)}/versions/latest`, { authorization: `Bearer ${await env.tokenWithRoles('admin-ann', ['admin'])}` });
  expect(response.statusCode).toBe(200);
}, 60_000);

it('fills a starting catalog’s embedded search index from the read model', async () => {
  const catalog = await env.startProductionCatalog();
  try {
    const index = catalog.get<symbol, SearchIndex>(SEARCH_INDEX);
    expect(index.engine).toBe('embedded');
    expect(await index.count()).toEqual({ servers: 17, tools: 24 });
    const result = await index.searchServers({ q: 'rebuild-03', filters: { statuses: ['active', 'deprecated', 'deleted'] }, limit: 10 });
    expect(result.hits.map((h) => h.document.id)).toContain(`${ANON}/rebuild-03@1.1.0`);
  } finally {
    await catalog.close();
  }
}, 60_000);
