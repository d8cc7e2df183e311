import { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { sendJson } from '@toolport/testing';
import { createAddressPolicy, type ResolvedAddress, type Resolver } from '../outbound-guard';
import { type FetchError, fetchJson, NodeHttpFetcher, RefusedFetchError } from './http-fetcher';

// NodeHttpFetcher with an address policy (the SSRF guard for URLs that come from published data)
// against a real loopback server: what is refused, that nothing is dialled when it is, and that
// every redirect hop is checked.

let server: Server;
let base: string;
let port: number;
let connections = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/json') return sendJson(response, 200, { ok: true, host: request.headers.host });
    if (url.pathname === '/redirect') return void response.writeHead(302, { location: url.searchParams.get('to') ?? '/json' }).end();
    sendJson(response, 404, { error: 'not found' });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const answering = (answers: Record<string, ResolvedAddress[]>): Resolver & { calls: string[] } => {
  const calls: string[] = [];
  const resolver = async (hostname: string) => {
    calls.push(hostname);
    const found = answers[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };
  return Object.assign(resolver, { calls });
};

const dns = answering({
  'registry.test': [{ address: '127.0.0.1', family: 4 }],
  'mixed.test': [{ address: '127.0.0.1', family: 4 }, { address: '10.0.0.1', family: 4 }],
  'metadata.test': [{ address: '169.254.169.254', family: 4 }],
});

const guarded = (allow: string[] = [], resolver: Resolver = dns) =>
  new NodeHttpFetcher({ timeoutMs: 5000, userAgent: 'Toolport-Test/1.0', addressPolicy: createAddressPolicy(allow), resolver });
const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a FetchError'); }, (error: unknown) => error as FetchError);

/** Every TCP connection attempted while `run` runs (host as given to connect, before any lookup). */
async function dialled(run: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const connect = net.Socket.prototype.connect;
  const spy = jest.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
    const first = args[0] as unknown;
    const options = (Array.isArray(first) ? first[0] : first) as { host?: string; port?: number } | undefined;
    if (options && typeof options === 'object') seen.push(`${options.host ?? ''}:${options.port ?? ''}`);
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return seen;
}

describe('NodeHttpFetcher with an address policy', () => {
  it('refuses a loopback IP literal without the allow-list, naming host, address and range, before any connection', async () => {
    const before = connections;
    let error: FetchError | undefined;
    const attempts = await dialled(async () => (error = await failure(guarded().get({ url: `${base}/json`, maxBytes: 1024 }))));
    expect(error).toBeInstanceOf(RefusedFetchError);
    expect([error!.kind, error!.transient, error!.message]).toEqual(['refused', false, `refused ${base}/json: 127.0.0.1 is in 127.0.0.0/8 (loopback)`]);
    expect((error as RefusedFetchError).refusal).toMatchObject({ hostname: '127.0.0.1', refusal: { address: '127.0.0.1', range: '127.0.0.0/8', label: 'loopback' } });
    expect(attempts).toEqual([]);
    expect(connections).toBe(before);
  });

  it('fetches from an allow-listed range, by literal and by a name the checking lookup resolves', async () => {
    const { json } = await fetchJson(guarded(['127.0.0.0/8']), `${base}/json`, 1024);
    expect(json).toEqual({ ok: true, host: `127.0.0.1:${port}` });
    // registry.test exists only in the test resolver: reaching the server proves the connection
    // went to the address the checking lookup returned.
    const named = await fetchJson(guarded(['127.0.0.0/8']), `http://registry.test:${port}/json`, 1024);
    expect(named.json).toEqual({ ok: true, host: `registry.test:${port}` });
  });

  it('refuses a name that resolves to a refused address at connect time, without reaching the server', async () => {
    const before = connections;
    const loopback = await failure(guarded().get({ url: `http://registry.test:${port}/json`, maxBytes: 1024 }));
    expect([loopback.kind, loopback.transient, loopback.message]).toEqual(['refused', false, `refused http://registry.test:${port}/json: registry.test resolves to 127.0.0.1, which is in 127.0.0.0/8 (loopback)`]);
    // One refused address among allowed ones is enough.
    const mixed = await failure(guarded(['127.0.0.0/8']).get({ url: `http://mixed.test:${port}/json`, maxBytes: 1024 }));
    expect([mixed.kind, mixed.message]).toEqual(['refused', `refused http://mixed.test:${port}/json: mixed.test resolves to 10.0.0.1, which is in 10.0.0.0/8 (private) (one of its 2 addresses)`]);
    expect(connections).toBe(before);
  });

  it('checks every redirect hop: a literal and a name pointing at the metadata service are refused, nothing dialled there', async () => {
    const fetcher = guarded(['127.0.0.0/8']);
    for (const [to, reason] of [
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is in 169.254.169.254/32 (cloud metadata service)'],
      ['http://metadata.test/latest/meta-data/', 'metadata.test resolves to 169.254.169.254, which is in 169.254.169.254/32 (cloud metadata service)'],
    ] as const) {
      let error: FetchError | undefined;
      const url = `${base}/redirect?to=${encodeURIComponent(to)}`;
      const attempts = await dialled(async () => (error = await failure(fetcher.get({ url, maxBytes: 1024 }))));
      expect([error!.kind, error!.transient, error!.url]).toEqual(['refused', false, to]);
      expect(error!.message).toBe(`refused ${to} (redirected from ${base}/redirect): ${reason}`);
      expect(attempts.filter((a) => a.startsWith('169.254.'))).toEqual([]);
    }
    expect(dns.calls).toContain('metadata.test');
  });

  it('leaves a fetcher without a policy as it was: loopback reachable, nothing resolved through the policy', async () => {
    const resolver = answering({});
    const plain = new NodeHttpFetcher({ timeoutMs: 5000, userAgent: 'Toolport-Test/1.0', resolver });
    expect((await fetchJson(plain, `${base}/json`, 1024)).json).toMatchObject({ ok: true });
    expect(resolver.calls).toEqual([]);
  });
});
