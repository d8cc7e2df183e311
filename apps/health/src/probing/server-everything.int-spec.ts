import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { toolHash, toolListHash } from '@toolport/contracts';
import { createMcpProber } from './mcp-prober';
import { PROBE_CONFIG_DEFAULTS } from './probe-config';
import type { ProbeTarget } from './probe-result';

// The reference server of the MCP project, run as its own process the way an operator would run
// it. It listens on every interface (PORT only); the probe reaches it through 127.0.0.1.

const EVERYTHING = join(dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist', 'index.js');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startEverything(mode: 'streamableHttp' | 'sse'): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [EVERYTHING, mode], { env: { PATH: process.env.PATH, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server-everything (${mode}) did not start: ${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (new RegExp(`(listening on|running on) port ${port}`, 'i').test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server-everything (${mode}) exited with ${code}: ${output}`));
    });
  });
  return { child, port };
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

const target = (url: string, transport: ProbeTarget['transport']): ProbeTarget => ({
  serverName: 'io.github.modelcontextprotocol/server-everything',
  version: '2026.8.31',
  transport,
  url,
  headers: { 'X-Probe-Token': 'everything-token' },
});

describe.each([
  ['streamableHttp', 'streamable-http', '/mcp'],
  ['sse', 'sse', '/sse'],
] as const)('@modelcontextprotocol/server-everything in %s mode', (mode, transport, path) => {
  let child: ChildProcess | undefined;
  let url = '';

  beforeAll(async () => {
    const started = await startEverything(mode);
    child = started.child;
    url = `http://127.0.0.1:${started.port}${path}`;
  });
  afterAll(() => stop(child));

  it('is probed healthy through the loopback allow-list, with its tools hashed', async () => {
    const connections: string[] = [];
    const prober = createMcpProber({ ...PROBE_CONFIG_DEFAULTS, allowCidrs: ['127.0.0.0/8'] }, { onConnect: (c) => connections.push(c.address) });
    const result = await prober.probe(target(url, transport));
    if (result.outcome !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
    expect(result.serverInfo.name).toBe('mcp-servers/everything');
    expect(SUPPORTED_PROTOCOL_VERSIONS).toContain(result.protocolVersion);
    expect(result.tools.length).toBeGreaterThan(0);
    expect(result.tools.map((t) => t.name)).toContain('echo');
    const byName = new Map(result.tools.map((t) => [t.name, t]));
    for (const { name, hash } of result.toolHashes) expect(hash).toBe(toolHash(byName.get(name)!));
    expect(result.toolListHash).toBe(toolListHash(result.tools));
    expect(result.latencies.initializeMs).toEqual(expect.any(Number));
    expect(result.latencies.listToolsMs).toEqual(expect.any(Number));
    expect(new Set(connections)).toEqual(new Set(['127.0.0.1']));
  });

  it('two probes of the unchanged server give the same list hash', async () => {
    const prober = createMcpProber({ ...PROBE_CONFIG_DEFAULTS, allowCidrs: ['127.0.0.1/32'] });
    const [a, b] = [await prober.probe(target(url, transport)), await prober.probe(target(url, transport))];
    if (a.outcome !== 'ok' || b.outcome !== 'ok') throw new Error(`expected two ok probes, got ${JSON.stringify([a, b])}`);
    expect(b.toolListHash).toBe(a.toolListHash);
    expect(b.toolHashes).toEqual(a.toolHashes);
  });

  it('is refused without the allow-list, before any connection', async () => {
    const connections: string[] = [];
    const result = await createMcpProber(PROBE_CONFIG_DEFAULTS, { onConnect: (c) => connections.push(c.address) }).probe(target(url, transport));
    expect(result).toMatchObject({ outcome: 'blocked', reason: 'refused address: 127.0.0.1 is in 127.0.0.0/8 (loopback)' });
    expect(connections).toEqual([]);
  });
});
