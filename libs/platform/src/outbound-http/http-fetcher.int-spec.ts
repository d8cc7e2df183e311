import type { ServerResponse } from 'node:http';
import { type LoopbackServer, sendJson, startLoopbackServer } from '@toolport/testing';
import { type FetchError, fetchJson, NodeHttpFetcher } from './http-fetcher';

const UA = 'Toolport-Test/1.0';
let server: LoopbackServer;
let other: LoopbackServer;
let bytesStreamed = 0;
let streamClosed: Promise<void> = Promise.resolve();

/** Writes 64 KiB chunks without a Content-Length until the client goes away. */
function endless(response: ServerResponse): void {
  bytesStreamed = 0;
  response.writeHead(200, { 'content-type': 'application/octet-stream' });
  const chunk = Buffer.alloc(64 * 1024, 1);
  let closed = false;
  streamClosed = new Promise((resolve) => response.on('close', () => { closed = true; resolve(); }));
  const pump = () => {
    while (!closed && bytesStreamed < 512 * 1024 * 1024) {
      bytesStreamed += chunk.byteLength;
      if (!response.write(chunk)) return void response.once('drain', pump);
    }
  };
  pump();
}

beforeAll(async () => {
  other = await startLoopbackServer((request, response) => sendJson(response, 200, { authorization: request.headers.authorization ?? null }));
  server = await startLoopbackServer((request, response) => {
    const path = request.url ?? '';
    if (path === '/json') return sendJson(response, 200, { ok: true, ua: request.headers['user-agent'], accept: request.headers.accept });
    if (path.startsWith('/status/')) return sendJson(response, Number(path.slice(8)), { error: 'x' }, { 'www-authenticate': 'Bearer realm="http://x/token"' });
    if (path === '/announced-large') return void response.writeHead(200, { 'content-length': String(10 * 1024 * 1024) }).end();
    if (path === '/endless') return endless(response);
    if (path === '/stall') return; // never answers
    if (path === '/stall-body') return void response.writeHead(200, { 'content-type': 'application/json' }).write('{"partial":');
    if (path === '/not-json') return void response.writeHead(200).end('<html>');
    if (path === '/hop/3') return sendJson(response, 200, { hops: 3, authorization: request.headers.authorization ?? null });
    if (path.startsWith('/hop/')) return void response.writeHead(302, { location: `/hop/${Number(path.slice(5)) + 1}` }).end();
    if (path === '/loop') return void response.writeHead(301, { location: '/loop' }).end();
    if (path === '/to-ftp') return void response.writeHead(302, { location: 'ftp://example.com/x' }).end();
    if (path === '/no-location') return void response.writeHead(307).end();
    if (path === '/to-other') return void response.writeHead(307, { location: `${other.url}/whoami` }).end();
    sendJson(response, 404, { error: 'not found' });
  });
});

afterAll(async () => {
  await server.close();
  await other.close();
});

const fetcher = (timeoutMs = 2000) => new NodeHttpFetcher({ timeoutMs, userAgent: UA });
const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a FetchError'); }, (error: unknown) => error as FetchError);

describe('NodeHttpFetcher against a loopback server', () => {
  it('GETs with its User-Agent and the given headers, and reads the body', async () => {
    const { json, response } = await fetchJson(fetcher(), `${server.url}/json`, 1024);
    expect(json).toEqual({ ok: true, ua: UA, accept: 'application/json' });
    expect(response).toMatchObject({ url: `${server.url}/json`, status: 200, bytes: response.body.byteLength });
    expect(response.headers['content-type']).toBe('application/json');
  });

  it('maps statuses to failure kinds, transient or not, keeping the headers', async () => {
    const kinds = await Promise.all([404, 410, 401, 403, 429, 500, 503, 418].map((status) => failure(fetcher().get({ url: `${server.url}/status/${status}`, maxBytes: 1024 }))));
    expect(kinds.map((e) => [e.status, e.kind, e.transient])).toEqual([
      [404, 'not-found', false],
      [410, 'not-found', false],
      [401, 'unauthorized', false],
      [403, 'unauthorized', false],
      [429, 'rate-limited', true],
      [500, 'server-error', true],
      [503, 'server-error', true],
      [418, 'http-status', false],
    ]);
    expect(kinds[2]?.headers['www-authenticate']).toBe('Bearer realm="http://x/token"');
    expect(kinds[0]?.message).toBe(`${server.url}/status/404 answered 404`);
  });

  it('refuses a body whose Content-Length is over the limit before reading it', async () => {
    const error = await failure(fetcher().get({ url: `${server.url}/announced-large`, maxBytes: 1024 * 1024 }));
    expect([error.kind, error.message]).toEqual(['too-large', `${server.url}/announced-large sent more than the limit of 1048576 bytes`]);
  });

  it('aborts a streamed body as soon as it passes the limit, buffered or sent to onChunk', async () => {
    for (const onChunk of [undefined, () => undefined]) {
      const error = await failure(fetcher(10_000).get({ url: `${server.url}/endless`, maxBytes: 1024 * 1024, onChunk }));
      expect(error.kind).toBe('too-large');
      await streamClosed;
      // The connection is closed: the server stops long before its 512 MiB.
      expect(bytesStreamed).toBeLessThan(64 * 1024 * 1024);
    }
  });

  it('streams to onChunk without buffering, counting the bytes', async () => {
    const chunks: Uint8Array[] = [];
    const response = await fetcher().get({ url: `${server.url}/json`, maxBytes: 1024, onChunk: (chunk) => chunks.push(chunk) });
    expect(response.body.byteLength).toBe(0);
    expect(response.bytes).toBe(Buffer.concat(chunks).byteLength);
    expect(JSON.parse(Buffer.concat(chunks).toString())).toMatchObject({ ok: true });
  });

  it('waits for an asynchronous onChunk before reading on, in order', async () => {
    const seen: number[] = [];
    let inFlight = 0;
    const response = await fetcher().get({
      url: `${server.url}/json`,
      maxBytes: 1024,
      onChunk: async (chunk) => {
        inFlight += 1;
        expect(inFlight).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.push(chunk.byteLength);
        inFlight -= 1;
      },
    });
    expect(seen.reduce((a, b) => a + b, 0)).toBe(response.bytes);
  });

  it('hands back the error an onChunk consumer throws and stops the transfer', async () => {
    const refusal = new Error('unsafe archive');
    let calls = 0;
    const error = await failure(fetcher(10_000).get({ url: `${server.url}/endless`, maxBytes: 256 * 1024 * 1024, onChunk: async () => { calls += 1; if (calls === 3) throw refusal; } }));
    expect(error).toBe(refusal);
    expect(calls).toBe(3);
    await streamClosed;
    expect(bytesStreamed).toBeLessThan(64 * 1024 * 1024);
  });

  it('times out a server that does not answer, or stops sending the body', async () => {
    for (const path of ['/stall', '/stall-body']) {
      const started = Date.now();
      const error = await failure(fetcher(300).get({ url: `${server.url}${path}`, maxBytes: 1024 }));
      expect([error.kind, error.transient, error.message]).toEqual(['timeout', true, `${server.url}${path} did not answer within 300 ms`]);
      expect(Date.now() - started).toBeLessThan(3000);
    }
  });

  it('follows up to three relative redirects, and no more', async () => {
    const { json, response } = await fetchJson(fetcher(), `${server.url}/hop/0`, 1024, { authorization: 'Bearer same-origin' });
    expect(json).toEqual({ hops: 3, authorization: 'Bearer same-origin' });
    expect(response.url).toBe(`${server.url}/hop/3`);
    const tooMany = await failure(fetcher().get({ url: `${server.url}/loop`, maxBytes: 1024 }));
    expect([tooMany.kind, tooMany.message]).toEqual(['redirect', `${server.url}/loop redirected more than 3 times`]);
    const fourHops = await failure(fetcher().get({ url: `${server.url}/hop/-1`, maxBytes: 1024 }));
    expect(fourHops.kind).toBe('redirect');
  });

  it('never follows a redirect to another protocol, nor one without a Location', async () => {
    const ftp = await failure(fetcher().get({ url: `${server.url}/to-ftp`, maxBytes: 1024 }));
    expect([ftp.kind, ftp.message]).toEqual(['redirect', `${server.url}/to-ftp redirected to a ftp: URL; only http and https are followed`]);
    const bare = await failure(fetcher().get({ url: `${server.url}/no-location`, maxBytes: 1024 }));
    expect(bare.kind).toBe('invalid-response');
  });

  it('drops the Authorization header when a redirect leaves the origin', async () => {
    const { json } = await fetchJson(fetcher(), `${server.url}/to-other`, 1024, { Authorization: 'Bearer secret' });
    expect(json).toEqual({ authorization: null });
  });

  it('reports unreachable hosts as transient network failures and refuses non-http URLs', async () => {
    const closed = await startLoopbackServer(() => undefined);
    await closed.close();
    const refused = await failure(fetcher().get({ url: `${closed.url}/x`, maxBytes: 1024 }));
    expect([refused.kind, refused.transient, refused.message]).toEqual(['network', true, `${closed.url}/x could not be reached: ECONNREFUSED`]);
    const file = await failure(fetcher().get({ url: 'file:///etc/passwd', maxBytes: 1024 }));
    expect([file.kind, file.message]).toEqual(['invalid-url', 'only http and https URLs can be fetched, not file:']);
  });

  it('reports a body that is not JSON', async () => {
    const error = await failure(fetchJson(fetcher(), `${server.url}/not-json`, 1024));
    expect([error.kind, error.message]).toEqual(['invalid-response', `${server.url}/not-json did not answer with JSON`]);
  });
});
