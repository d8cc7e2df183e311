import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ANON, type CatalogTestEnv, serverJson, startCatalogTestEnv } from '../__fixtures__/catalog-test-env';

// The catalog's MCP endpoint end to end: versions published through the real publisher, approved
// by scanner events, queried by the SDK's own client over HTTP against a listening production catalog.
let env: CatalogTestEnv;
let catalog: NestFastifyApplication;
let baseUrl: string;
let reviewerToken: string;
let anonymous: Client;
let reviewer: Client;
const HASH = 'f'.repeat(64);
const GIT = `${ANON}/mcp-git`;

async function approve(name: string, version: string) {
  await env.scanner.append(
    `review-${name}@${version}`,
    [{ type: 'VersionApproved', data: { serverName: name, version, justification: 'ok', trustLevel: 'passed', tools: [], toolListHash: HASH, automatic: false, approvedAt: new Date().toISOString() } }],
    { kind: 'user', id: 'rita-reviewer' },
  );
}

async function connect(token?: string): Promise<Client> {
  const client = new Client({ name: 'toolport-test-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : undefined);
  await client.connect(transport);
  return client;
}

const call = async (client: Client, name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
const problemOf = (result: CallToolResult) => JSON.parse((result.content[0] as { text: string }).text) as { status: number; code: string; detail: string };

beforeAll(async () => {
  env = await startCatalogTestEnv('mcp');
  reviewerToken = await env.tokenWithRoles('rita-reviewer', ['reviewer']);
  const tools = [
    { name: 'git_diff', description: 'Show the diff between two branches', inputSchema: { type: 'object', properties: { base: { type: 'string' } } } },
    { name: 'git_log', description: 'Show commit history', inputSchema: { type: 'object', properties: {} } },
  ];
  await env.publish(serverJson(GIT, '1.0.0', { title: 'Git Tools', description: 'Work with git repositories', _meta: { 'io.toolport/tools': tools } }));
  await env.publish(serverJson(GIT, '1.1.0', { title: 'Git Tools', description: 'Work with git repositories', _meta: { 'io.toolport/tools': tools } }));
  await env.publish(serverJson(GIT, '2.0.0', { title: 'Git Tools', description: 'Work with git repositories' }));
  await approve(GIT, '1.0.0');
  await approve(GIT, '1.1.0');
  await env.caughtUp();
  catalog = await env.startProductionCatalog();
  await catalog.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(catalog.getHttpServer().address() as AddressInfo).port}`;
  anonymous = await connect();
  reviewer = await connect(reviewerToken);
}, 120_000);

afterAll(async () => {
  await anonymous?.close();
  await reviewer?.close();
  await catalog?.close();
  await env?.close();
});

describe('/mcp', () => {
  it('is the toolport-catalog server with four documented tools', async () => {
    expect(anonymous.getServerVersion()?.name).toBe('toolport-catalog');
    const { tools } = await anonymous.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['get_server', 'resolve_version', 'search_servers', 'search_tools']);
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(80);
      expect(tool.outputSchema).toBeDefined();
      expect(tool.annotations?.readOnlyHint).toBe(true);
    }
  });

  it('search_servers answers with structured results and hides unapproved versions from anonymous callers', async () => {
    const result = await call(anonymous, 'search_servers', { query: 'git repositories' });
    expect(result.isError).toBeFalsy();
    const found = (result.structuredContent as { items: Array<{ name: string; version: string }> }).items.filter((i) => i.name === GIT);
    expect(found.map((i) => i.version).sort()).toEqual(['1.0.0', '1.1.0']);
    expect(JSON.parse((result.content[0] as { text: string }).text)).toEqual(result.structuredContent);

    const asReviewer = await call(reviewer, 'search_servers', { query: 'git repositories' });
    const versions = (asReviewer.structuredContent as { items: Array<{ name: string; version: string }> }).items.filter((i) => i.name === GIT).map((i) => i.version);
    expect(versions.sort()).toEqual(['1.0.0', '1.1.0', '2.0.0']);
  });

  it('search_tools finds a tool by what it does, with its server', async () => {
    const result = await call(anonymous, 'search_tools', { query: 'diff between branches', limit: 5 });
    const items = (result.structuredContent as { items: Array<{ tool: { name: string }; server: { name: string; version: string } }> }).items;
    expect(items[0]).toMatchObject({ tool: { name: 'git_diff' }, server: { name: GIT } });
  });

  it('get_server returns the official server response within the caller\'s visibility', async () => {
    const one = await call(anonymous, 'get_server', { name: GIT, version: '1.1.0' });
    expect(one.structuredContent).toMatchObject({ server: { name: GIT, version: '1.1.0' }, _meta: { 'io.modelcontextprotocol.registry/official': { status: 'active' } } });

    // The latest (2.0.0) is not approved: an anonymous agent is told it is not found, a reviewer sees it.
    const latest = await call(anonymous, 'get_server', { name: GIT });
    expect(latest.isError).toBe(true);
    expect(problemOf(latest)).toMatchObject({ status: 404, code: 'SERVER_NOT_FOUND' });
    expect((await call(reviewer, 'get_server', { name: GIT })).structuredContent).toMatchObject({ server: { version: '2.0.0' } });
  });

  it('resolve_version picks the highest approved version, for a reviewer too', async () => {
    const result = await call(anonymous, 'resolve_version', { name: GIT, range: '*', from: '1.0.0' });
    expect(result.structuredContent).toMatchObject({ serverName: GIT, version: '1.1.0', deprecated: false });
    expect((await call(reviewer, 'resolve_version', { name: GIT, range: '*' })).structuredContent).toMatchObject({ version: '1.1.0' });
  });

  it('answers bad input with tool errors carrying the problem, and the client carries on', async () => {
    const badRange = await call(anonymous, 'resolve_version', { name: GIT, range: 'banana' });
    expect(badRange.isError).toBe(true);
    expect(badRange.structuredContent).toBeUndefined();
    expect(problemOf(badRange)).toMatchObject({ status: 400, code: 'INVALID_RANGE' });

    const badCursor = await call(anonymous, 'search_servers', { query: 'git', cursor: '%%%garbage' });
    expect(badCursor.isError).toBe(true);
    expect(problemOf(badCursor).status).toBe(400);

    const badLimit = await call(anonymous, 'search_tools', { query: 'git', limit: 0 });
    expect(badLimit.isError).toBe(true);

    const unknown = await call(anonymous, 'get_server', { name: `${ANON}/no-such-server` });
    expect(problemOf(unknown)).toMatchObject({ status: 404 });

    expect((await call(anonymous, 'search_servers', { query: 'git' })).isError).toBeFalsy();
  });

  it('refuses GET and DELETE as a stateless server does', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(new URL('/mcp', baseUrl), { method, headers: { accept: 'text/event-stream' } });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
  });

  it('refuses a bad token instead of treating the caller as anonymous', async () => {
    await expect(connect('not-a-token')).rejects.toThrow(/401/);
  });
});
