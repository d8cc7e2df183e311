import type { Package, ServerDetail } from '@toolport/contracts';
import type { Resolver } from '@toolport/platform';
import { type LoopbackServer, sendJson, startLoopbackServer } from '@toolport/testing';
import { bearer, type PublisherTestApp, startPublisher } from '../__fixtures__/publisher-test-app';
import { SERVER_NAME, optionsFrom } from './__fixtures__/package-check';
import { packageVerificationError } from './package-verification';
import { PackageVerifier } from './package-verifier';
import { createVerificationFetcher, trustedRegistryOrigins } from './verification-fetcher';

// The SSRF guard of package verification against real sockets: `internal` stands in for a service
// on the publisher's own network (it must never be reached), `registry` for an operator-configured
// registry on 127.0.0.1 (trusted, so it must keep working).
let internal: LoopbackServer;
let registry: LoopbackServer;

const HINT = 'TOOLPORT_PUBLISHER_ALLOW_CIDRS';
const document = (name: string) => ({ name, version: '1.0.0', mcpName: SERVER_NAME });
const portOf = (server: LoopbackServer) => new URL(server.url).port;

/** Answers as DNS would for the names the tests use; anything else does not exist. */
const resolver: Resolver = async (hostname) => {
  const answers: Record<string, string> = { 'sneaky.example': '127.0.0.1', 'files.internal.example': '10.1.2.3', 'mirror.internal.example': '127.0.0.1' };
  const address = answers[hostname];
  if (address === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return [{ address, family: 4 }];
};

beforeAll(async () => {
  internal = await startLoopbackServer((request, response) => {
    if (request.url === '/moved/1.0.0') return sendJson(response, 200, document('moved'));
    sendJson(response, 200, { secret: 'internal' });
  });
  registry = await startLoopbackServer((request, response) => {
    if (request.url === '/ok/1.0.0') return sendJson(response, 200, { name: 'ok', version: '1.0.0', mcpName: 'io.modelcontextprotocol.anonymous/ssrf-ok' });
    // A registry (compromised, or answering for a hostile package) pointing the publisher inward.
    if (request.url === '/metadata/1.0.0') return void response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    if (request.url === '/inward/1.0.0') return void response.writeHead(302, { location: `http://localhost:${portOf(internal)}/moved/1.0.0` }).end();
    if (request.url === '/moved/1.0.0') return void response.writeHead(302, { location: `http://mirror.internal.example:${portOf(internal)}/moved/1.0.0` }).end();
    sendJson(response, 404, { error: 'not found' });
  });
});

afterAll(async () => {
  await registry?.close();
  await internal?.close();
});

beforeEach(() => {
  internal.requests.splice(0);
});

const server = (...packages: Package[]): ServerDetail => ({ name: SERVER_NAME, description: 'x', version: '1.0.0', packages });
const mcpb = (identifier: string): Package => ({ registryType: 'mcpb', identifier, fileSha256: 'a'.repeat(64), transport: { type: 'stdio' } });
const npm = (identifier: string): Package => ({ registryType: 'npm', identifier, version: '1.0.0', transport: { type: 'stdio' } });

describe('package verification under the address policy', () => {
  it('trusts exactly the configured registry origins', () => {
    const options = optionsFrom({ TOOLPORT_NPM_REGISTRY_URL: 'http://verdaccio.internal:4873', TOOLPORT_ALLOWED_REGISTRY_URLS: 'http://127.0.0.1:5000,https://registry.npmjs.org' });
    expect(trustedRegistryOrigins(options)).toEqual(['http://verdaccio.internal:4873', 'https://pypi.org', 'http://127.0.0.1:5000', 'https://registry.npmjs.org']);
  });

  it('refuses another port of a trusted registry host, and reaches the registry itself', async () => {
    // The npm registry is configured on 127.0.0.1: the internal service beside it on the same host stays unreachable.
    const options = optionsFrom({ TOOLPORT_NPM_REGISTRY_URL: registry.url });
    const verifier = new PackageVerifier(options, createVerificationFetcher(options, resolver));
    const [issue] = await verifier.verify(server(mcpb(`https://127.0.0.1:${portOf(internal)}/acme/b.mcpb`)));
    expect(issue?.message).toMatch(/127\.0\.0\.1 is in 127\.0\.0\.0\/8 \(loopback\)/);
    expect(internal.requests).toEqual([]);
    const issues = await verifier.verify(server(npm('ok')));
    expect(JSON.stringify(issues)).not.toMatch(/loopback/);
    expect(registry.requests.map((r) => r.url)).toContain('/ok/1.0.0');
  });

  it.each([
    ['an IP-literal loopback host', () => `https://127.0.0.1:${portOf(internal)}/acme/b.mcpb`, /127\.0\.0\.1 is in 127\.0\.0\.0\/8 \(loopback\)/],
    ['the cloud metadata address', () => 'https://169.254.169.254/latest/meta-data/b.mcpb', /169\.254\.169\.254 is in 169\.254\.169\.254\/32 \(cloud metadata service\)/],
    ['an IPv4-mapped IPv6 loopback literal', () => `https://[::ffff:127.0.0.1]:${portOf(internal)}/b.mcpb`, /IPv4-mapped address of 127\.0\.0\.1, which is in 127\.0\.0\.0\/8 \(loopback\)/],
    ['a host name resolving to loopback', () => `https://sneaky.example:${portOf(internal)}/b.mcpb`, /sneaky\.example resolves to 127\.0\.0\.1, which is in 127\.0\.0\.0\/8 \(loopback\)/],
    ['a host name resolving to a private address', () => 'https://files.internal.example/acme/b.mcpb', /files\.internal\.example resolves to 10\.1\.2\.3, which is in 10\.0\.0\.0\/8 \(private\)/],
  ])('refuses an mcpb identifier on %s, saying why and how to allow an internal registry', async (_what, url, refusal) => {
    const options = optionsFrom();
    const verifier = new PackageVerifier(options, createVerificationFetcher(options, resolver));
    const issues = await verifier.verify(server(mcpb(url())));
    expect(issues).toEqual([{ path: 'packages[0]', severity: 'error', message: expect.stringMatching(refusal) }]);
    expect(issues[0]!.message).toContain(HINT);
    // A failed ownership check is a 400 that stores nothing (the publish controller throws it before appending).
    const failure = packageVerificationError(issues);
    expect(failure).toMatchObject({ kind: 'invalid', code: 'PACKAGE_VERIFICATION_FAILED', detail: expect.stringMatching(refusal) });
    expect(failure!.detail).toContain(HINT);
    expect(internal.requests).toEqual([]);
  });

  it('checks a redirect leaving a trusted registry, and TOOLPORT_PUBLISHER_ALLOW_CIDRS exempts an internal range', async () => {
    const strict = optionsFrom({ TOOLPORT_NPM_REGISTRY_URL: registry.url });
    const [issue] = await new PackageVerifier(strict, createVerificationFetcher(strict, resolver)).verify(server(npm('moved')));
    expect(issue?.message).toMatch(/\(redirected from http:\/\/127\.0\.0\.1:\d+\/moved\/1\.0\.0\): mirror\.internal\.example resolves to 127\.0\.0\.1, which is in 127\.0\.0\.0\/8 \(loopback\)/);
    expect(internal.requests).toEqual([]);

    const allowing = optionsFrom({ TOOLPORT_NPM_REGISTRY_URL: registry.url, TOOLPORT_PUBLISHER_ALLOW_CIDRS: '127.0.0.0/8' });
    await expect(new PackageVerifier(allowing, createVerificationFetcher(allowing, resolver)).verify(server(npm('moved')))).resolves.toEqual([]);
    expect(internal.requests.map((r) => r.url)).toEqual(['/moved/1.0.0']);
  });
});

describe('POST /v0/publish with package verification on', () => {
  let publisher: PublisherTestApp;
  let token: string;

  beforeAll(async () => {
    // The npm registry is configured on 127.0.0.1, so it is trusted; nothing else internal is.
    publisher = await startPublisher('verifyssrf', { TOOLPORT_VERIFY_PACKAGES: 'true', TOOLPORT_NPM_REGISTRY_URL: registry.url });
    token = await publisher.anonymousToken();
  }, 60_000);

  afterAll(async () => {
    await publisher?.close();
  });

  const publish = (name: string, identifier: string) =>
    publisher.request({
      method: 'POST',
      url: '/v0/publish',
      headers: bearer(token),
      payload: {
        $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
        name: `io.modelcontextprotocol.anonymous/${name}`,
        description: 'A test server',
        version: '1.0.0',
        packages: [{ registryType: 'npm', identifier, version: '1.0.0', transport: { type: 'stdio' } }],
      },
    });
  const storedEvents = async () =>
    Number((await publisher.app.get<symbol, import('pg').Pool>(Symbol.for('toolport.PgPool')).query(`select count(*) from ${publisher.instance}_publisher.events`)).rows[0].count);

  it('verifies against the configured registry on loopback and stores the version', async () => {
    registry.requests.splice(0);
    const before = await storedEvents();
    const response = await publish('ssrf-ok', 'ok');
    expect(response.statusCode).toBe(200);
    expect(registry.requests.map((r) => r.url)).toEqual(['/ok/1.0.0']);
    expect(await storedEvents()).toBeGreaterThan(before);
  });

  it.each([
    ['the cloud metadata service', 'metadata', /169\.254\.169\.254 is in 169\.254\.169\.254\/32 \(cloud metadata service\)/],
    ['a loopback host name', 'inward', /localhost resolves to 127\.0\.0\.1, which is in 127\.0\.0\.0\/8 \(loopback\)/],
  ])('refuses a redirect to %s with a problem+json detail, storing nothing', async (_what, identifier, refusal) => {
    const before = await storedEvents();
    const response = await publish(`ssrf-${identifier}`, identifier);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json<{ detail: string }>();
    expect(body.detail).toMatch(refusal);
    expect(body.detail).toContain(HINT);
    expect(await storedEvents()).toBe(before);
    expect(internal.requests).toEqual([]);
  });
});
