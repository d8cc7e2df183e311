import { startHttpServer, type TestHttpServer } from './__fixtures__/test-servers';
import { SECURE_EXAMPLE_CERT, SECURE_EXAMPLE_KEY } from './__fixtures__/tls';
import { createGuardedNetwork, ProbeRefusedError, type GuardedNetwork, type GuardedNetworkOptions, type NetworkIncident } from './guarded-fetch';
import { createAddressPolicy, type Resolver } from '@toolport/platform';

// The network layer of the prober on its own, against plain loopback HTTP(S) servers.

const readBody = async (req: import('node:http').IncomingMessage): Promise<string> => {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
};

describe('createGuardedNetwork', () => {
  const servers: TestHttpServer[] = [];
  const networks: GuardedNetwork[] = [];
  const track = <S extends TestHttpServer>(server: S): S => {
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(networks.splice(0).map((n) => n.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  const networkOf = (overrides: Partial<GuardedNetworkOptions> = {}) => {
    const incidents: NetworkIncident[] = [];
    const resolved: string[] = [];
    const loopbackResolver: Resolver = async (hostname) => {
      resolved.push(hostname);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const network = createGuardedNetwork({
      policy: createAddressPolicy(['127.0.0.1/32']),
      resolver: loopbackResolver,
      signal: new AbortController().signal,
      maxResponseBytes: 1024 * 1024,
      maxRedirects: 5,
      connectTimeoutMs: 5_000,
      onIncident: (incident) => incidents.push(incident),
      ...overrides,
    });
    networks.push(network);
    return { network, incidents, resolved };
  };

  it('turns a POST into a GET without body on 303, and keeps method and body on 307', async () => {
    const seen: { method: string; url: string; body: string; type: string | undefined }[] = [];
    const server = track(
      await startHttpServer(async (req, res) => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', body: await readBody(req), type: req.headers['content-type'] });
        if (req.url === '/see-other') res.writeHead(303, { location: '/landing' }).end();
        else if (req.url === '/temporary') res.writeHead(307, { location: '/landing' }).end();
        else res.writeHead(200).end('landed');
      }),
    );
    const { network } = networkOf();
    const init = { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } };
    expect(await (await network.fetch(`${server.origin}/see-other`, init)).text()).toBe('landed');
    expect(await (await network.fetch(`${server.origin}/temporary`, init)).text()).toBe('landed');
    expect(seen).toEqual([
      { method: 'POST', url: '/see-other', body: '{"a":1}', type: 'application/json' },
      { method: 'GET', url: '/landing', body: '', type: undefined },
      { method: 'POST', url: '/temporary', body: '{"a":1}', type: 'application/json' },
      { method: 'POST', url: '/landing', body: '{"a":1}', type: 'application/json' },
    ]);
  });

  it("returns the redirect itself when asked for redirect: 'manual', and throws for 'error'", async () => {
    const server = track(await startHttpServer((_req, res) => void res.writeHead(302, { location: 'http://10.0.0.1/' }).end()));
    const { network, incidents } = networkOf();
    const response = await network.fetch(`${server.origin}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://10.0.0.1/');
    await expect(network.fetch(`${server.origin}/`, { redirect: 'error' })).rejects.toThrow('redirect');
    expect(incidents).toEqual([]);
  });

  it('keeps credentials and the named headers within the origin and drops them across origins', async () => {
    const other = track(await startHttpServer((_req, res) => void res.writeHead(200).end('other')));
    const first = track(
      await startHttpServer((req, res) => {
        if (req.url === '/same') res.writeHead(302, { location: '/final' }).end();
        else if (req.url === '/cross') res.writeHead(302, { location: `${other.origin}/final` }).end();
        else res.writeHead(200).end('first');
      }),
    );
    const { network } = networkOf({ sensitiveHeaders: ['X-Api-Key'] });
    const headers = { authorization: 'Bearer t0ken', 'x-api-key': 'k3y', 'x-trace': 'kept' };
    await network.fetch(`${first.origin}/same`, { headers });
    await network.fetch(`${first.origin}/cross`, { headers });
    const finalOnFirst = first.requests.find((r) => r.url === '/final')!;
    expect(finalOnFirst.headers).toMatchObject(headers);
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0].headers.authorization).toBeUndefined();
    expect(other.requests[0].headers['x-api-key']).toBeUndefined();
    expect(other.requests[0].headers['x-trace']).toBe('kept');
  });

  it('resolves a host name once, even across a redirect from http to https', async () => {
    const secure = track(await startHttpServer((_req, res) => void res.writeHead(200).end('secure'), '127.0.0.1', { cert: SECURE_EXAMPLE_CERT, key: SECURE_EXAMPLE_KEY }));
    const plain = track(await startHttpServer((_req, res) => void res.writeHead(301, { location: `https://secure.example:${secure.port}/` }).end()));
    const { network, resolved } = networkOf({ extraCaCerts: [SECURE_EXAMPLE_CERT] });
    const response = await network.fetch(`http://secure.example:${plain.port}/`);
    expect(await response.text()).toBe('secure');
    expect(resolved).toEqual(['secure.example']);
    expect(secure.servernames).toEqual(['secure.example']);
  });

  it('refuses a redirect hop into a refused range with an incident naming it', async () => {
    const server = track(await startHttpServer((_req, res) => void res.writeHead(307, { location: 'http://[::ffff:a9fe:a9fe]/latest' }).end()));
    const { network, incidents } = networkOf();
    await expect(network.fetch(`${server.origin}/`)).rejects.toBeInstanceOf(ProbeRefusedError);
    expect(incidents).toEqual([
      {
        kind: 'blocked',
        reason:
          'refused redirect to http://[::ffff:a9fe:a9fe]: ::ffff:a9fe:a9fe is an IPv4-mapped address of 169.254.169.254, which is in 169.254.169.254/32 (cloud metadata service)',
      },
    ]);
  });

  it('cuts a body at the cap while it streams', async () => {
    const server = track(
      await startHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.write(Buffer.alloc(3000));
        setTimeout(() => res.end(Buffer.alloc(3000)), 20);
      }),
    );
    const { network, incidents } = networkOf({ maxResponseBytes: 4096 });
    const response = await network.fetch(`${server.origin}/`);
    await expect(response.arrayBuffer()).rejects.toThrow('response body larger than 4096 bytes');
    expect(incidents).toEqual([{ kind: 'too-large', reason: 'response body exceeds the 4096-byte cap' }]);
    const small = networkOf({ maxResponseBytes: 6000 });
    expect((await (await small.network.fetch(`${server.origin}/`)).arrayBuffer()).byteLength).toBe(6000);
    expect(small.incidents).toEqual([]);
  });
});
