import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import type { Pool } from 'pg';
import { AuthModule, TokenService } from '@toolport/auth';
import { ALL_EVENTS, EventRegistry, pgSchemaName, PROBLEM_CONTENT_TYPE, type ProblemDetails } from '@toolport/contracts';
import { createPool, ensureDatabase, EVENT_STORE, eventStoreMigrations, PostgresEventStore, runMigrations } from '@toolport/event-store';
import { createServiceApp, readPlatformConfig } from '@toolport/platform';
import { destroyInstance, TEST_DATABASE_URL, testEnv, testInstanceName } from '@toolport/testing';
import { ed25519Signer, p384Signer, rfc3339, type ProofSigner } from './__fixtures__/proof-keys';
import type { AuthExchangeOptions } from './auth-exchange.config';
import { AuthExchangeModule } from './auth-exchange.module';
import { wellKnownTarget } from './exchange-domain';
import { fetchWellKnown } from './well-known-fetch';

// Every exchange against a real Nest app on Fastify (the services' own setup: problem+json filter,
// AuthModule with its signing key in Postgres), a real loopback well-known server and a real
// loopback JWKS server. DNS is the one injected part: no zone of ours is reachable from here.
const instance = testInstanceName('authx');
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
const OIDC_ISSUER = 'https://idp.acme.test';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let wellKnown: Handler = (_req, res) => res.writeHead(500).end();
const wellKnownHits: string[] = [];
const servers: Server[] = [];
let wellKnownPort = 0;
let jwksPort = 0;
let githubKey: KeyLike;
let oidcKey: KeyLike;
let pool: Pool;
let app: NestFastifyApplication;
let strictApp: NestFastifyApplication;
let store: PostgresEventStore;
const txtZone: Record<string, string[][]> = {};

async function listen(handler: Handler): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function startApp(options: AuthExchangeOptions): Promise<NestFastifyApplication> {
  // The publisher's event store, as PlatformModule provides it: every exchange records TokenIssued there.
  @Global()
  @Module({ providers: [{ provide: EVENT_STORE, useValue: store }], exports: [EVENT_STORE] })
  class EventStoreTestModule {}
  @Module({})
  class ExchangeTestModule {}
  const config = readPlatformConfig(testEnv(instance), 'publisher', 0);
  const root: DynamicModule = {
    module: ExchangeTestModule,
    imports: [
      EventStoreTestModule,
      AuthModule.forRoot({ audience: config.jwtIssuer, issuer: config.jwtIssuer, pool, authSchema: `${instance}_auth`, serviceSchema: pgSchemaName(instance, 'publisher') }),
      AuthExchangeModule.forRoot(options),
    ],
  };
  return (await createServiceApp(root, config, { shutdownHooks: false })).app;
}

beforeAll(async () => {
  wellKnownPort = await listen((req, res) => {
    wellKnownHits.push(req.url ?? '');
    wellKnown(req, res);
  });
  const github = await generateKeyPair('RS256');
  const oidc = await generateKeyPair('ES256');
  githubKey = github.privateKey;
  oidcKey = oidc.privateKey;
  const jwks = {
    '/github/jwks': { keys: [{ ...(await exportJWK(github.publicKey)), kid: 'gh1', alg: 'RS256', use: 'sig' }] },
    '/oidc/jwks': { keys: [{ ...(await exportJWK(oidc.publicKey)), kid: 'idp1', alg: 'ES256', use: 'sig' }] },
  };
  jwksPort = await listen((req, res) => {
    const body = jwks[req.url as keyof typeof jwks];
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
  });
  await ensureDatabase(TEST_DATABASE_URL);
  pool = createPool(TEST_DATABASE_URL, { applicationName: 'auth-exchange-int-spec' });
  const schema = pgSchemaName(instance, 'publisher');
  await runMigrations(pool, schema, eventStoreMigrations);
  store = new PostgresEventStore({ pool, schema, registry: new EventRegistry(ALL_EVENTS, { owner: 'publisher' }) });
  const githubOidc = { jwksUrl: `http://127.0.0.1:${jwksPort}/github/jwks`, issuer: GITHUB_ISSUER, audience: 'mcp-registry' };
  app = await startApp({
    anonymous: true,
    allowInsecureLoopback: true,
    tokenTtlSeconds: 300,
    githubOidc,
    oidc: {
      issuer: OIDC_ISSUER,
      audience: 'toolport-client',
      jwksUrl: `http://127.0.0.1:${jwksPort}/oidc/jwks`,
      extraClaims: [{ hd: 'acme.test' }],
      publishPermissions: ['*'],
      editPermissions: ['com.acme/*'],
    },
    resolveTxt: async (name) => {
      const records = txtZone[name];
      if (records === undefined) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
      return records;
    },
  });
  strictApp = await startApp({ anonymous: false, allowInsecureLoopback: false, tokenTtlSeconds: 300, githubOidc, oidc: null });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await strictApp?.close();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await pool?.end();
  await destroyInstance(instance);
});

const post = (target: NestFastifyApplication, url: string, payload?: object) =>
  target.inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload }) });

type Reply = Awaited<ReturnType<typeof post>>;

/** The token answered, verified by the registry's own TokenService, with its decoded claims. */
async function granted(response: Reply) {
  expect(response.statusCode).toBe(200);
  expect(response.headers['cache-control']).toBe('no-store');
  const body = response.json<{ registry_token: string; expires_at: number }>();
  expect(Object.keys(body).sort()).toEqual(['expires_at', 'registry_token']);
  const principal = await app.get(TokenService).verify(body.registry_token);
  const claims = decodeJwt(body.registry_token);
  expect(body.expires_at).toBe(claims.exp);
  expect(body.expires_at - Date.now() / 1000).toBeGreaterThan(290);
  expect(body.expires_at - Date.now() / 1000).toBeLessThanOrEqual(300);
  expect(principal.roles).toEqual(['publisher']);
  // Recorded as TokenIssued in its own stream before it was signed: the grants, the method and
  // the proven identity, the exchanging subject as actor, and never the token itself.
  const events = await store.readStream(`token-${principal.tokenId}`);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    type: 'TokenIssued',
    data: {
      tokenId: principal.tokenId,
      subject: principal.subject,
      roles: ['publisher'],
      permissions: principal.permissions,
      expiresAt: new Date(body.expires_at * 1000).toISOString(),
      authMethod: claims['auth_method'],
      authMethodSub: claims['auth_method_sub'],
    },
    metadata: { actor: principal.actor, streamId: `token-${principal.tokenId}` },
  });
  expect(JSON.stringify(events[0])).not.toContain(body.registry_token.split('.')[2]!);
  return { principal, claims };
}

function refused(response: Reply, status: number, code: string, detail: RegExp): void {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
  const problem = response.json<ProblemDetails>();
  expect(problem).toMatchObject({ status, code });
  expect(problem.detail).toMatch(detail);
}

const signedBody = (domain: string, signer: ProofSigner, timestamp = rfc3339(new Date())) => ({
  domain,
  timestamp,
  signed_timestamp: signer.sign(timestamp),
});

const serve = (status: number, body: string, headers: Record<string, string> = {}): Handler => (_req, res) => res.writeHead(status, headers).end(body);

describe('POST /auth/none', () => {
  it('grants publish and edit on io.modelcontextprotocol.anonymous/* under /v0 and /v0.1, with no body at all', async () => {
    for (const url of ['/v0/auth/none', '/v0.1/auth/none']) {
      const { principal, claims } = await granted(await post(app, url));
      expect(principal.permissions).toEqual([
        { action: 'publish', resource: 'io.modelcontextprotocol.anonymous/*' },
        { action: 'edit', resource: 'io.modelcontextprotocol.anonymous/*' },
      ]);
      expect(principal.actor).toEqual({ kind: 'anonymous', id: 'anonymous' });
      expect(claims).toMatchObject({ auth_method: 'none', auth_method_sub: 'anonymous' });
    }
  });

  it('does not exist unless enabled: 404 problem+json', async () => {
    const response = await post(strictApp, '/v0/auth/none');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
  });
});

describe('POST /auth/http', () => {
  const domain = () => `127.0.0.1:${wellKnownPort}`;

  it('verifies an Ed25519 proof served on loopback and grants publish on the namespace only', async () => {
    const signer = ed25519Signer();
    wellKnown = serve(200, `${signer.record}\n`, { 'content-type': 'text/plain' });
    wellKnownHits.splice(0);
    const { principal, claims } = await granted(await post(app, '/v0/auth/http', signedBody(domain(), signer)));
    expect(wellKnownHits).toEqual(['/.well-known/mcp-registry-auth']);
    expect(principal.permissions).toEqual([{ action: 'publish', resource: 'localhost/*' }]);
    expect(principal.subject).toBe('http:localhost');
    expect(principal.actor).toEqual({ kind: 'user', id: 'http:localhost' });
    expect(claims).toMatchObject({ auth_method: 'http', auth_method_sub: 'localhost' });
  });

  it('verifies a P-384 proof, any one of several records sufficing, by name (localhost) under /v0.1', async () => {
    const signer = p384Signer();
    wellKnown = serve(200, `${ed25519Signer().record}\n${signer.record}\n`);
    const { principal } = await granted(await post(app, '/v0.1/auth/http', signedBody(`localhost:${wellKnownPort}`, signer)));
    expect(principal.permissions).toEqual([{ action: 'publish', resource: 'localhost/*' }]);
  });

  it('refuses a signature made with another key, naming the published key', async () => {
    wellKnown = serve(200, ed25519Signer().record);
    refused(await post(app, '/v0/auth/http', signedBody(domain(), ed25519Signer())), 401, 'AUTH_HTTP_FAILED', /^HTTP authentication failed: the signature does not match the published key ed25519:/);
  });

  it('refuses a stale timestamp without fetching anything', async () => {
    const signer = ed25519Signer();
    wellKnown = serve(200, signer.record);
    wellKnownHits.splice(0);
    const stale = rfc3339(new Date(Date.now() - 60_000));
    refused(await post(app, '/v0/auth/http', signedBody(domain(), signer, stale)), 401, 'AUTH_HTTP_FAILED', /is 6\d s behind the registry's clock/);
    expect(wellKnownHits).toEqual([]);
  });

  it('refuses a missing file and a file without a record', async () => {
    const signer = ed25519Signer();
    wellKnown = serve(404, 'not here');
    refused(await post(app, '/v0/auth/http', signedBody(domain(), signer)), 401, 'AUTH_HTTP_FAILED', /answered HTTP 404; it must answer 200/);
    wellKnown = serve(200, '<html>welcome</html>');
    refused(await post(app, '/v0/auth/http', signedBody(domain(), signer)), 401, 'AUTH_HTTP_FAILED', /no MCPv1 proof record .* found in the response of http:\/\/127\.0\.0\.1/);
  });

  it('refuses a file over 4096 bytes, announced or streamed', async () => {
    const signer = ed25519Signer();
    wellKnown = serve(200, `${signer.record}\n${'#'.repeat(5000)}`);
    refused(await post(app, '/v0/auth/http', signedBody(domain(), signer)), 401, 'AUTH_HTTP_FAILED', /is larger than 4096 bytes/);
    wellKnown = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 10; i += 1) res.write(`${signer.record}\n${'#'.repeat(500)}\n`);
      res.end();
    };
    refused(await post(app, '/v0/auth/http', signedBody(domain(), signer)), 401, 'AUTH_HTTP_FAILED', /is larger than 4096 bytes/);
  });

  it('does not follow a redirect', async () => {
    const signer = ed25519Signer();
    wellKnown = (req, res) => {
      if (req.url === '/elsewhere') res.writeHead(200).end(signer.record);
      else res.writeHead(302, { location: `http://127.0.0.1:${wellKnownPort}/elsewhere` }).end();
    };
    wellKnownHits.splice(0);
    refused(await post(app, '/v0/auth/http', signedBody(domain(), signer)), 401, 'AUTH_HTTP_FAILED', /answered HTTP 302 \(redirect to http:\/\/127\.0\.0\.1:\d+\/elsewhere\); redirects are not followed/);
    expect(wellKnownHits).toEqual(['/.well-known/mcp-registry-auth']);
  });

  it('requires https unless the loopback development flag is on, and never fetches from an IP literal', async () => {
    const signer = ed25519Signer();
    wellKnown = serve(200, signer.record);
    wellKnownHits.splice(0);
    for (const loopback of [domain(), `localhost:${wellKnownPort}`]) {
      refused(await post(strictApp, '/v0/auth/http', signedBody(loopback, signer)), 401, 'AUTH_HTTP_FAILED', /fetches https:\/\/<domain>.*TOOLPORT_AUTH_HTTP_ALLOW_INSECURE_LOOPBACK=true/);
    }
    refused(await post(app, '/v0/auth/http', signedBody('10.0.0.1', signer)), 401, 'AUTH_HTTP_FAILED', /is an IP address/);
    refused(await post(app, '/v0/auth/http', signedBody('example.com/evil', signer)), 401, 'AUTH_HTTP_FAILED', /not a bare domain name/);
    expect(wellKnownHits).toEqual([]);
  });

  it('answers 400 for a malformed body', async () => {
    const response = await post(app, '/v0/auth/http', { domain: 'example.com', timestamp: 5 });
    refused(response, 400, 'AUTH_REQUEST_INVALID', /timestamp must be a string; signed_timestamp is required/);
  });

  it('gives up on a server that does not answer in time', async () => {
    wellKnown = () => undefined;
    const target = wellKnownTarget(domain(), true);
    if (!target.ok) throw new Error(target.reason);
    const started = Date.now();
    await expect(fetchWellKnown(target.value, { timeoutMs: 300 })).rejects.toMatchObject({ reason: expect.stringMatching(/did not answer within 0.3 s/) });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('POST /auth/dns', () => {
  it('verifies the apex TXT record and grants the domain and its subdomains', async () => {
    const signer = ed25519Signer();
    txtZone['example.com'] = [['v=spf1 -all'], [signer.record.slice(0, 30), signer.record.slice(30)]];
    const { principal, claims } = await granted(await post(app, '/v0/auth/dns', signedBody('example.com', signer)));
    expect(principal.permissions).toEqual([
      { action: 'publish', resource: 'com.example/*' },
      { action: 'publish', resource: 'com.example.*' },
    ]);
    expect(principal.subject).toBe('dns:example.com');
    expect(claims).toMatchObject({ auth_method: 'dns', auth_method_sub: 'example.com' });
  });

  it('refuses a signature by a key that is not published', async () => {
    txtZone['example.net'] = [[p384Signer().record]];
    refused(await post(app, '/v0.1/auth/dns', signedBody('example.net', p384Signer())), 401, 'AUTH_DNS_FAILED', /^DNS authentication failed: the signature does not match the published key ecdsap384:/);
  });

  it('says where the record is when it sits under _mcp-registry instead of the apex', async () => {
    const signer = ed25519Signer();
    txtZone['example.org'] = [['v=spf1 -all']];
    txtZone['_mcp-registry.example.org'] = [[signer.record]];
    refused(await post(app, '/v0/auth/dns', signedBody('example.org', signer)), 401, 'AUTH_DNS_FAILED', /one was found at _mcp-registry\.example\.org: .*apex domain/);
  });
});

function githubToken(claims: JWTPayload, overrides: { aud?: string; iss?: string; exp?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ repository_owner: 'octo-org', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'gh1' })
    .setIssuer(overrides.iss ?? GITHUB_ISSUER)
    .setAudience(overrides.aud ?? 'mcp-registry')
    .setSubject('repo:octo-org/octo-repo:ref:refs/heads/main')
    .setIssuedAt(now - 10)
    .setExpirationTime(overrides.exp ?? now + 300)
    .sign(githubKey);
}

function idpToken(claims: JWTPayload, overrides: { aud?: string; iss?: string; exp?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ hd: 'acme.test', email: 'ada@acme.test', email_verified: true, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'idp1' })
    .setIssuer(overrides.iss ?? OIDC_ISSUER)
    .setAudience(overrides.aud ?? 'toolport-client')
    .setSubject('1098765')
    .setIssuedAt(now - 10)
    .setExpirationTime(overrides.exp ?? now + 300)
    .sign(oidcKey);
}

describe('POST /auth/github-oidc', () => {
  it('grants io.github.<repository_owner>/* for a GitHub Actions token verified against the JWKS', async () => {
    const { principal, claims } = await granted(await post(app, '/v0/auth/github-oidc', { oidc_token: await githubToken({}) }));
    expect(principal.permissions).toEqual([{ action: 'publish', resource: 'io.github.octo-org/*' }]);
    expect(principal.subject).toBe('github-oidc:octo-org');
    expect(claims).toMatchObject({ auth_method: 'github-oidc', auth_method_sub: 'repo:octo-org/octo-repo:ref:refs/heads/main' });
  });

  it('refuses a wrong audience, a wrong issuer, an expired token and a bad repository_owner', async () => {
    const past = Math.floor(Date.now() / 1000) - 120;
    const cases: Array<[Promise<string>, RegExp]> = [
      [githubToken({}, { aud: 'sigstore' }), /audience is "sigstore", this registry requires "mcp-registry"/],
      [githubToken({}, { iss: 'https://evil.test' }), /issued by "https:\/\/evil.test"/],
      [githubToken({}, { exp: past }), /the OIDC token expired at/],
      [githubToken({ repository_owner: '../admin' }), /repository_owner claim "\.\.\/admin" is not a valid GitHub name/],
    ];
    const recordedBefore = (await store.readAll({ after: 0, limit: 10_000 })).length;
    for (const [token, reason] of cases) {
      refused(await post(app, '/v0/auth/github-oidc', { oidc_token: await token }), 401, 'AUTH_GITHUB_OIDC_FAILED', reason);
    }
    // A refused exchange issues nothing, so it records nothing either.
    expect((await store.readAll({ after: 0, limit: 10_000 })).length).toBe(recordedBefore);
    refused(await post(app, '/v0/auth/github-oidc', {}), 400, 'AUTH_REQUEST_INVALID', /oidc_token is required/);
  });
});

describe('POST /auth/oidc', () => {
  it('grants the configured permissions to a token of the configured provider carrying the extra claims', async () => {
    const { principal, claims } = await granted(await post(app, '/v0.1/auth/oidc', { oidc_token: await idpToken({}) }));
    expect(principal.permissions).toEqual([
      { action: 'publish', resource: '*' },
      { action: 'edit', resource: 'com.acme/*' },
    ]);
    expect(principal.subject).toBe('oidc:ada@acme.test');
    expect(claims).toMatchObject({ auth_method: 'oidc', auth_method_sub: '1098765' });
  });

  it('refuses a wrong audience, a wrong issuer, an expired token and a missing extra claim', async () => {
    const past = Math.floor(Date.now() / 1000) - 120;
    const cases: Array<[Promise<string>, RegExp]> = [
      [idpToken({}, { aud: 'other-client' }), /audience is "other-client", this registry requires "toolport-client"/],
      [idpToken({}, { iss: 'https://accounts.google.com' }), /issued by "https:\/\/accounts.google.com", this registry accepts https:\/\/idp.acme.test/],
      [idpToken({}, { exp: past }), /the OIDC token expired at/],
      [idpToken({ hd: undefined }), /the token has no hd claim, which this registry requires \(hd="acme.test"\)/],
      [githubToken({}, { iss: OIDC_ISSUER, aud: 'toolport-client' }), /algorithm is not accepted|no key of the provider's JWKS/],
    ];
    for (const [token, reason] of cases) {
      refused(await post(app, '/v0/auth/oidc', { oidc_token: await token }), 401, 'AUTH_OIDC_FAILED', reason);
    }
  });

  it('does not exist unless configured: 404', async () => {
    expect((await post(strictApp, '/v0/auth/oidc', { oidc_token: await idpToken({}) })).statusCode).toBe(404);
  });
});
