import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { LATEST_PROTOCOL_VERSION, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { toolHash, toolListHash, type McpTool } from '@toolport/contracts';
import { z } from 'zod';
import { startHttpServer, startSseServer, startStreamableHttpServer, type McpTestServer, type TestHttpServer } from './__fixtures__/test-servers';
import { SECURE_EXAMPLE_CERT, SECURE_EXAMPLE_KEY } from './__fixtures__/tls';
import { createMcpProber, type McpProberDeps } from './mcp-prober';
import { PROBE_CONFIG_DEFAULTS, type ProbeConfig } from './probe-config';
import type { ProbeResult, ProbeTarget } from './probe-result';

// Every server in this file listens on loopback; refused addresses (10.0.0.1, 169.254.169.254) appear
// only as targets that the guard must refuse before any packet leaves.

const LOOPBACK = ['127.0.0.0/8'];
const configOf = (overrides: Partial<ProbeConfig> = {}): ProbeConfig => ({ ...PROBE_CONFIG_DEFAULTS, allowCidrs: LOOPBACK, timeoutMs: 5_000, ...overrides });
const targetOf = (url: string, transport: ProbeTarget['transport'] = 'streamable-http', headers: Record<string, string> = {}): ProbeTarget => ({
  serverName: 'io.example/probe-test',
  version: '1.0.0',
  transport,
  url,
  headers,
});

/** Records every TCP connection the prober makes. */
const watched = (deps: McpProberDeps = {}) => {
  const connections: { hostname: string; address: string; port: number }[] = [];
  return { deps: { ...deps, onConnect: (c: (typeof connections)[number]) => connections.push(c) }, connections };
};

function toolsServer(): McpServer {
  const server = new McpServer({ name: 'probe-fixture', version: '3.1.4' });
  server.registerTool(
    'echo',
    { description: 'Echoes its text.', inputSchema: { text: z.string().describe('what to echo') }, annotations: { readOnlyHint: true } },
    ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool(
    'add',
    { description: 'Adds two numbers.', inputSchema: { a: z.number(), b: z.number() }, outputSchema: { sum: z.number() } },
    ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }], structuredContent: { sum: a + b } }),
  );
  return server;
}

/** The tools as a plain SDK client lists them, straight from the server, without the prober. */
async function declaredTools(url: string): Promise<McpTool[]> {
  const client = new Client({ name: 'reference', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  const { tools } = await client.listTools();
  await client.close();
  return tools as McpTool[];
}

// Plain JSON as a server would declare it (McpTool's static type does not list every JSON Schema member).
const PAGES = [
  [
    { name: 'zeta', description: 'Last by name.', inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } },
    { name: 'alpha', inputSchema: { type: 'object' }, annotations: { destructiveHint: false, 'x-vendor-note': 'kept in the hash' } },
  ],
  [{ name: 'mid', description: 'Middle page.', inputSchema: { type: 'object', additionalProperties: false } }],
  [
    { name: 'beta', description: 'Has output.', inputSchema: { type: 'object' }, outputSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
    { name: 'gamma', title: 'Not hashed', description: 'g', inputSchema: { type: 'object' } },
  ],
] as unknown as McpTool[][];

/** A low-level SDK server whose tools/list answers in pages chained by nextCursor. */
function pagingServer(pages: McpTool[][], cursors: string[], calls: (string | undefined)[]): () => Server {
  return () => {
    const server = new Server({ name: 'pager', version: '2.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, (request) => {
      const cursor = request.params?.cursor;
      calls.push(cursor);
      const index = cursor === undefined ? 0 : cursors.indexOf(cursor) + 1;
      return { tools: pages[index], ...(index < pages.length - 1 ? { nextCursor: cursors[index] } : {}) };
    });
    return server;
  };
}

const expectOk = (result: ProbeResult) => {
  if (result.outcome !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result;
};

describe('createMcpProber against real SDK servers', () => {
  const servers: (TestHttpServer | McpTestServer)[] = [];
  const track = <S extends TestHttpServer>(server: S): S => {
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('probes a Streamable HTTP server: initialize, tools, hashes of what it declares, latencies, session ended', async () => {
    const server = track(await startStreamableHttpServer(toolsServer));
    const declared = await declaredTools(server.url);
    const before = server.requests.length;
    const { deps, connections } = watched();
    const result = expectOk(await createMcpProber(configOf(), deps).probe(targetOf(server.url, 'streamable-http', { 'X-Api-Key': 'k-123456' })));

    expect(result.serverInfo).toEqual({ name: 'probe-fixture', version: '3.1.4' });
    expect(result.protocolVersion).toBe(LATEST_PROTOCOL_VERSION);
    expect(result.tools.map((t) => t.name)).toEqual(['echo', 'add']);
    expect(result.tools).toEqual(declared);
    expect(result.toolHashes).toEqual([
      { name: 'add', hash: toolHash(declared[1]) },
      { name: 'echo', hash: toolHash(declared[0]) },
    ]);
    expect(result.toolListHash).toBe(toolListHash(declared));
    for (const value of Object.values(result.latencies)) expect(value).toEqual(expect.any(Number));
    expect(result.latencies.totalMs).toBeGreaterThanOrEqual(result.latencies.initializeMs! + result.latencies.listToolsMs!);
    // The static header went with every request; the session was ended with DELETE.
    const probeRequests = server.requests.slice(before);
    expect(probeRequests.map((r) => r.method)).toContain('DELETE');
    expect(probeRequests.every((r) => r.headers['x-api-key'] === 'k-123456')).toBe(true);
    expect(server.terminated).toHaveLength(1); // the reference client closed without DELETE
    expect(connections.every((c) => c.address === '127.0.0.1' && c.port === server.port)).toBe(true);
  });

  it('follows nextCursor through every page and hashes the tools exactly as the server sent them', async () => {
    const calls: (string | undefined)[] = [];
    const server = track(await startStreamableHttpServer(pagingServer(PAGES, ['page-2', 'page-3'], calls)));
    const result = expectOk(await createMcpProber(configOf()).probe(targetOf(server.url)));
    const all = PAGES.flat();
    expect(calls).toEqual([undefined, 'page-2', 'page-3']);
    expect(result.serverInfo).toEqual({ name: 'pager', version: '2.0.0' });
    expect(result.tools).toEqual(all);
    expect(result.toolHashes).toEqual(
      all.map((t) => ({ name: t.name, hash: toolHash(t) })).sort((a, b) => (a.name < b.name ? -1 : 1)),
    );
    expect(result.toolHashes.map((t) => t.name)).toEqual(['alpha', 'beta', 'gamma', 'mid', 'zeta']);
    expect(result.toolListHash).toBe(toolListHash(all));
  });

  it('fails tools/list past the page cap and on a cursor that repeats', async () => {
    const server = track(await startStreamableHttpServer(pagingServer(PAGES, ['page-2', 'page-3'], [])));
    expect(await createMcpProber(configOf({ maxToolPages: 2 })).probe(targetOf(server.url))).toMatchObject({
      outcome: 'failed',
      phase: 'list-tools',
      reason: expect.stringContaining('more than 2 pages'),
    });
    const looping = track(await startStreamableHttpServer(pagingServer([PAGES[0], PAGES[1], PAGES[2], PAGES[0]], ['again', 'again', 'again'], [])));
    expect(await createMcpProber(configOf()).probe(targetOf(looping.url))).toMatchObject({
      outcome: 'failed',
      phase: 'list-tools',
      reason: expect.stringContaining('twice'),
    });
  });

  it('probes an SSE server', async () => {
    const server = track(await startSseServer(toolsServer));
    const result = expectOk(await createMcpProber(configOf()).probe(targetOf(server.url, 'sse', { Authorization: 'Bearer sse-secret' })));
    expect(result.serverInfo.name).toBe('probe-fixture');
    expect(result.tools.map((t) => t.name)).toEqual(['echo', 'add']);
    expect(result.toolListHash).toBe(toolListHash(result.tools));
    expect(server.requests.filter((r) => r.method === 'POST').every((r) => r.headers.authorization === 'Bearer sse-secret')).toBe(true);
  });

  it('reports a server without the tools capability as up with no tools', async () => {
    const server = track(await startStreamableHttpServer(() => new Server({ name: 'no-tools', version: '1.0.0' }, { capabilities: {} })));
    const result = expectOk(await createMcpProber(configOf()).probe(targetOf(server.url)));
    expect(result.tools).toEqual([]);
    expect(result.toolListHash).toBe(toolListHash([]));
  });
});

describe('createMcpProber failures', () => {
  const servers: TestHttpServer[] = [];
  const track = <S extends TestHttpServer>(server: S): S => {
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it.each(['streamable-http', 'sse'] as const)('connection refused (%s) fails at connect', async (transport) => {
    const gone = await startHttpServer(() => undefined);
    await gone.close();
    const result = await createMcpProber(configOf()).probe(targetOf(`${gone.origin}/mcp`, transport));
    expect(result).toMatchObject({ outcome: 'failed', phase: 'connect', reason: expect.stringContaining('ECONNREFUSED') });
  });

  it('a plain HTTP 200 {} is not healthy: it fails at initialize', async () => {
    const plain = track(await startHttpServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{}')));
    const result = await createMcpProber(configOf()).probe(targetOf(`${plain.origin}/mcp`));
    expect(result).toMatchObject({ outcome: 'failed', phase: 'initialize', reason: expect.stringContaining('not an MCP server') });
    expect(plain.connections).toBeGreaterThan(0);
  });

  it('an HTML page is not healthy either', async () => {
    const page = track(await startHttpServer((_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>hello</h1>')));
    expect(await createMcpProber(configOf()).probe(targetOf(`${page.origin}/`))).toMatchObject({ outcome: 'failed', phase: 'initialize' });
  });

  it.each(['streamable-http', 'sse'] as const)('a server that never answers (%s) times out', async (transport) => {
    const silent = track(await startHttpServer(() => undefined));
    const result = await createMcpProber(configOf({ timeoutMs: 400 })).probe(targetOf(`${silent.origin}/mcp`, transport));
    expect(result).toMatchObject({ outcome: 'failed', phase: 'timeout', reason: 'no complete answer within 400 ms (during initialize)' });
  });

  it('a body over the size cap fails, whether announced by Content-Length or streamed', async () => {
    const big = 'x'.repeat(64 * 1024);
    const announced = track(await startHttpServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/json', 'content-length': big.length }).end(big)));
    expect(await createMcpProber(configOf({ maxResponseBytes: 8192 })).probe(targetOf(`${announced.origin}/mcp`))).toMatchObject({
      outcome: 'failed',
      phase: 'initialize',
      reason: `response body of ${big.length} bytes exceeds the 8192-byte cap`,
    });
    const streamed = track(
      await startHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        // Keeps writing until the client goes away: only the cap ends this.
        const timer = setInterval(() => res.write(`data: ${'y'.repeat(4000)}\n\n`), 5);
        res.on('close', () => clearInterval(timer));
      }),
    );
    expect(await createMcpProber(configOf({ maxResponseBytes: 8192 })).probe(targetOf(`${streamed.origin}/mcp`))).toMatchObject({
      outcome: 'failed',
      phase: 'initialize',
      reason: 'response body exceeds the 8192-byte cap',
    });
  });

  it('an HTTP error fails with its status, and a header value the server echoes is not in the reason', async () => {
    const echo = track(
      await startHttpServer((req, res) => void res.writeHead(401, { 'content-type': 'text/plain' }).end(`bad key ${String(req.headers['x-api-key'])}`)),
    );
    const result = await createMcpProber(configOf()).probe(targetOf(`${echo.origin}/mcp`, 'streamable-http', { 'X-Api-Key': 'super-secret-value' }));
    expect(result).toMatchObject({ outcome: 'failed', phase: 'initialize', reason: expect.stringContaining('HTTP 401') });
    expect(JSON.stringify(result)).not.toContain('super-secret-value');
    expect(result.outcome === 'failed' && result.reason).toContain('[redacted]');
  });

  it('a probe its caller cancels ends at once as failed', async () => {
    const silent = track(await startHttpServer(() => undefined));
    const controller = new AbortController();
    const pending = createMcpProber(configOf()).probe(targetOf(`${silent.origin}/mcp`), controller.signal);
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toMatchObject({ outcome: 'failed', reason: 'probe cancelled' });
  });

  it('an invalid URL, or one with credentials, fails without throwing or quoting them', async () => {
    expect(await createMcpProber(configOf()).probe(targetOf('not a url'))).toMatchObject({ outcome: 'failed', phase: 'connect' });
    const withCredentials = await createMcpProber(configOf()).probe(targetOf('http://user:pa55word@127.0.0.1:9/mcp'));
    expect(withCredentials).toMatchObject({ outcome: 'failed', phase: 'connect', reason: 'URLs with credentials are not probed' });
  });
});

describe('createMcpProber refusals (SSRF guard)', () => {
  const servers: TestHttpServer[] = [];
  const track = <S extends TestHttpServer>(server: S): S => {
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const noAllowList = configOf({ allowCidrs: [] });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is in 169.254.169.254/32 (cloud metadata service)'],
    ['http://10.0.0.1/mcp', '10.0.0.1 is in 10.0.0.0/8 (private)'],
    ['http://[::1]/mcp', '::1 is in ::1/128 (loopback)'],
    ['http://[::ffff:127.0.0.1]/mcp', '::ffff:7f00:1 is an IPv4-mapped address of 127.0.0.1, which is in 127.0.0.0/8 (loopback)'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254 is in fd00:ec2::254/128 (cloud metadata service)'],
  ])('refuses %s before connecting', async (url, reason) => {
    const { deps, connections } = watched();
    for (const transport of ['streamable-http', 'sse'] as const) {
      const result = await createMcpProber(noAllowList, deps).probe(targetOf(url, transport));
      expect(result).toMatchObject({ outcome: 'blocked', reason: `refused address: ${reason}` });
    }
    expect(connections).toEqual([]);
  });

  it('no connection reaches a loopback server addressed as ::1 or ::ffff:127.0.0.1, until allow-listed', async () => {
    const v4 = track(await startStreamableHttpServer(toolsServer));
    const v6 = track(await startStreamableHttpServer(toolsServer, '::1'));
    const mapped = `http://[::ffff:127.0.0.1]:${v4.port}/mcp`;
    for (const url of [v4.url, v6.url, mapped]) {
      expect(await createMcpProber(noAllowList).probe(targetOf(url))).toMatchObject({ outcome: 'blocked' });
    }
    expect(v4.connections).toBe(0);
    expect(v6.connections).toBe(0);
    const allowed = createMcpProber(configOf({ allowCidrs: ['127.0.0.0/8', '::1/128'] }));
    for (const url of [v4.url, v6.url, mapped]) expectOk(await allowed.probe(targetOf(url)));
    expect(v4.connections).toBeGreaterThan(0);
    expect(v6.connections).toBeGreaterThan(0);
  });

  it('refuses a host name that resolves to a private address, without connecting', async () => {
    const resolved: string[] = [];
    const { deps, connections } = watched({
      resolver: async (hostname) => {
        resolved.push(hostname);
        return [{ address: '10.0.0.1', family: 4 }];
      },
    });
    const result = await createMcpProber(noAllowList, deps).probe(targetOf('https://mcp.internal.example/mcp'));
    expect(result).toMatchObject({ outcome: 'blocked', reason: 'refused address: mcp.internal.example resolves to 10.0.0.1, which is in 10.0.0.0/8 (private)' });
    expect(resolved).toEqual(['mcp.internal.example']);
    expect(connections).toEqual([]);
  });

  it.each([
    ['to 127.0.0.2 when only 127.0.0.1/32 is allowed', (port: number) => `http://127.0.0.2:${port}/mcp`, '127.0.0.2 is in 127.0.0.0/8 (loopback)'],
    ['to 10.0.0.1', () => 'http://10.0.0.1/mcp', '10.0.0.1 is in 10.0.0.0/8 (private)'],
    ['to the metadata service', () => 'http://169.254.169.254/latest/meta-data/', 'cloud metadata service'],
  ])('refuses a redirect %s, and never connects there', async (_name, location, reason) => {
    const elsewhere = track(await startHttpServer((_req, res) => void res.writeHead(200).end('{}'), '127.0.0.2'));
    const redirector = track(await startHttpServer((_req, res) => void res.writeHead(302, { location: location(elsewhere.port) }).end()));
    const { deps, connections } = watched();
    const result = await createMcpProber(configOf({ allowCidrs: ['127.0.0.1/32'] }), deps).probe(targetOf(`${redirector.origin}/mcp`));
    expect(result).toMatchObject({ outcome: 'blocked', reason: expect.stringContaining(reason) });
    expect(result.outcome === 'blocked' && result.reason).toContain('refused redirect to http://');
    expect(redirector.connections).toBe(1);
    expect(elsewhere.connections).toBe(0);
    expect(connections.map((c) => c.address)).toEqual(['127.0.0.1']);
  });

  it('follows an allowed redirect, checked, and does not carry static headers to another origin', async () => {
    const server = track(await startStreamableHttpServer(toolsServer));
    const sameOrigin = track(await startHttpServer((_req, res) => void res.writeHead(307, { location: server.url }).end()));
    const result = expectOk(
      await createMcpProber(configOf()).probe(targetOf(`${sameOrigin.origin}/old-mcp`, 'streamable-http', { 'X-Api-Key': 'not-for-others' })),
    );
    expect(result.tools).toHaveLength(2);
    expect(sameOrigin.requests.every((r) => r.headers['x-api-key'] === 'not-for-others')).toBe(true);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.some((r) => 'x-api-key' in r.headers)).toBe(false);
  });

  it('caps redirects', async () => {
    const loop = track(await startHttpServer((req, res) => void res.writeHead(307, { location: `${req.url}x` }).end()));
    expect(await createMcpProber(configOf({ maxRedirects: 3 })).probe(targetOf(`${loop.origin}/mcp`))).toMatchObject({
      outcome: 'failed',
      phase: 'initialize',
      reason: expect.stringContaining('more than 3 redirects'),
    });
    expect(loop.requests).toHaveLength(4);
  });

  it('over HTTPS dials the checked address while SNI and the certificate check keep the host name', async () => {
    const server = track(await startStreamableHttpServer(toolsServer, '127.0.0.1', { cert: SECURE_EXAMPLE_CERT, key: SECURE_EXAMPLE_KEY }));
    const { deps, connections } = watched({ resolver: async () => [{ address: '127.0.0.1', family: 4 }], extraCaCerts: [SECURE_EXAMPLE_CERT] });
    const prober = createMcpProber(configOf({ allowCidrs: ['127.0.0.1/32'] }), deps);
    const result = expectOk(await prober.probe(targetOf(`https://secure.example:${server.port}/mcp`)));
    expect(result.tools).toHaveLength(2);
    expect(connections.every((c) => c.address === '127.0.0.1')).toBe(true);
    expect(server.servernames.length).toBeGreaterThan(0);
    expect(server.servernames.every((name) => name === 'secure.example')).toBe(true);
    // The certificate names secure.example only: addressed by its IP, the same server fails the TLS check.
    expect(await prober.probe(targetOf(`https://127.0.0.1:${server.port}/mcp`))).toMatchObject({
      outcome: 'failed',
      phase: 'connect',
      reason: expect.stringContaining('ERR_TLS_CERT_ALTNAME_INVALID'),
    });
  });

  it('DNS rebinding: connects only to the address it checked, even when the name later resolves elsewhere', async () => {
    const server = track(await startStreamableHttpServer(toolsServer));
    const answers = ['127.0.0.1', '127.0.0.2'];
    const resolved: string[] = [];
    const { deps, connections } = watched({
      resolver: async (hostname) => {
        resolved.push(hostname);
        return [{ address: answers[Math.min(resolved.length - 1, answers.length - 1)], family: 4 }];
      },
    });
    const result = expectOk(await createMcpProber(configOf({ allowCidrs: ['127.0.0.1/32'] }), deps).probe(targetOf(`http://rebind.example:${server.port}/mcp`)));
    expect(result.tools).toHaveLength(2);
    expect(resolved).toEqual(['rebind.example']);
    expect(connections.length).toBeGreaterThan(0);
    expect(connections.every((c) => c.address === '127.0.0.1' && c.hostname === 'rebind.example')).toBe(true);
    // The server saw the name, not the address: Host stays the original.
    expect(server.requests.every((r) => r.headers.host === `rebind.example:${server.port}`)).toBe(true);
  });
});
