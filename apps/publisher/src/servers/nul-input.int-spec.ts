import type { LightMyRequestResponse } from 'fastify';
import type { Pool } from 'pg';
import { TEST_ADMIN_KEY } from '@toolport/testing';
import { bearer, type PublisherTestApp, serverJson as server, startPublisher } from '../__fixtures__/publisher-test-app';

// PostgreSQL refuses U+0000 in text (22021) and jsonb (22P05), and an unpaired UTF-16 surrogate
// in jsonb (22P02). Such a character in a write is the caller's mistake: a 400 problem+json that
// names where it is, never a 500, and nothing stored.
let publisher: PublisherTestApp;
let token: string;
let pool: Pool;

const ANON = 'io.modelcontextprotocol.anonymous';
const NAME = `${ANON}/nul-target`;
const admin = bearer(TEST_ADMIN_KEY);
const enc = encodeURIComponent;
const publish = (body: unknown) => publisher.request({ method: 'POST', url: '/v0/publish', headers: bearer(token), payload: body as object });
const storedEvents = async () => Number((await pool.query(`select count(*) from ${publisher.instance}_publisher.events`)).rows[0].count);

interface Problem {
  status: number;
  title: string;
  detail: string;
  errors?: Array<{ message: string; location?: string }>;
}

const NUL = 'contains a NUL character (U+0000), which is not allowed';
const SURROGATE = 'contains an unpaired UTF-16 surrogate, which is not valid Unicode text';

function expectRefused(response: LightMyRequestResponse, location: string, what = NUL): void {
  expect({ status: response.statusCode, body: response.body }).toMatchObject({ status: 400 });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json<Problem>()).toMatchObject({ status: 400, title: 'Bad Request', detail: `${location} ${what}`, errors: [{ location }] });
}

/** Sends the request and checks that it is refused and stored nothing. */
async function expectRefusedStoringNothing(send: () => Promise<LightMyRequestResponse>, location: string, what = NUL): Promise<void> {
  const before = await storedEvents();
  expectRefused(await send(), location, what);
  expect(await storedEvents()).toBe(before);
}

beforeAll(async () => {
  publisher = await startPublisher('nulinput');
  token = await publisher.anonymousToken();
  pool = publisher.app.get<symbol, Pool>(Symbol.for('toolport.PgPool'));
  expect((await publish(server(NAME, '1.0.0'))).statusCode).toBe(200);
}, 60_000);

afterAll(async () => {
  await publisher?.close();
});

describe('POST /v0/publish', () => {
  it('refuses a NUL in the description', async () => {
    await expectRefusedStoringNothing(() => publish(server(`${ANON}/nul-description`, '1.0.0', { description: 'weather\u0000' })), 'body.description');
  });

  it('refuses a NUL deep in _meta, in a value and in a property name', async () => {
    const tools = (properties: Record<string, unknown>) => [{ name: 'forecast', description: 'Forecast', inputSchema: { type: 'object', properties } }];
    await expectRefusedStoringNothing(
      () => publish(server(`${ANON}/nul-meta`, '1.0.0', { _meta: { 'io.toolport/tools': tools({ city: { type: 'string', description: 'a\u0000' } }) } })),
      'body._meta["io.toolport/tools"][0].inputSchema.properties.city.description',
    );
    await expectRefusedStoringNothing(
      () => publish(server(`${ANON}/nul-meta`, '1.0.0', { _meta: { 'io.toolport/tools': tools({ 'ci\u0000ty': { type: 'string' } }) } })),
      'body._meta["io.toolport/tools"][0].inputSchema.properties["ci\\u0000ty"]',
    );
  });

  it('refuses a NUL in the name and in the version', async () => {
    await expectRefusedStoringNothing(() => publish(server(`${ANON}/nul\u0000name`, '1.0.0')), 'body.name');
    await expectRefusedStoringNothing(() => publish(server(`${ANON}/nul-version`, '1.0.0\u0000')), 'body.version');
  });

  it('refuses an unpaired surrogate in the description (jsonb cannot hold it)', async () => {
    await expectRefusedStoringNothing(() => publish(server(`${ANON}/lone-surrogate`, '1.0.0', { description: 'weather \ud800' })), 'body.description', SURROGATE);
  });

  it('still accepts the characters PostgreSQL stores: other control characters and paired surrogates', async () => {
    const response = await publish(server(`${ANON}/odd-characters`, '1.0.0', { description: 'tab\there, bell\u0007, emoji \ud83d\ude00' }));
    expect(response.statusCode).toBe(200);
  });
});

describe('PATCH status', () => {
  it('refuses a NUL in the status message', async () => {
    await expectRefusedStoringNothing(
      () => publisher.request({ method: 'PATCH', url: `/v0/servers/${enc(NAME)}/versions/1.0.0/status`, headers: bearer(token), payload: { status: 'deprecated', statusMessage: 'use 2\u0000' } }),
      'body.statusMessage',
    );
    await expectRefusedStoringNothing(
      () => publisher.request({ method: 'PATCH', url: `/v0.1/servers/${enc(NAME)}/status`, headers: bearer(token), payload: { status: 'deprecated', statusMessage: '\u0000' } }),
      'body.statusMessage',
    );
  });

  it('refuses a NUL in the server name or version of the path', async () => {
    await expectRefusedStoringNothing(
      () => publisher.request({ method: 'PATCH', url: `/v0/servers/${enc(`${ANON}/a\u0000b`)}/status`, headers: bearer(token), payload: { status: 'deprecated' } }),
      'path.serverName',
    );
    await expectRefusedStoringNothing(
      () => publisher.request({ method: 'PATCH', url: `/v0/servers/${enc(NAME)}/versions/1.0.0%00/status`, headers: bearer(token), payload: { status: 'deprecated' } }),
      'path.version',
    );
  });
});

describe('reads and admin endpoints', () => {
  it('refuses a NUL in the compatibility report path', async () => {
    expectRefused(await publisher.request({ method: 'GET', url: `/api/v1/servers/a%00b/versions/1.0.0/compatibility` }), 'path.serverName');
  });

  it('refuses a NUL in an issued token subject and in a revocation reason', async () => {
    await expectRefusedStoringNothing(() => publisher.request({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { subject: 'ci\u0000bot', roles: ['reader'] } }), 'body.subject');
    const issued = await publisher.request({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { subject: 'ci-bot', roles: ['reader'] } });
    if (issued.statusCode !== 201) throw new Error(`token issue failed: ${issued.statusCode} ${issued.body}`);
    const id = issued.json<{ id: string }>().id;
    await expectRefusedStoringNothing(() => publisher.request({ method: 'DELETE', url: `/api/v1/tokens/${id}?reason=leaked%00`, headers: admin }), 'query.reason');
    expect((await publisher.request({ method: 'DELETE', url: `/api/v1/tokens/${id}?reason=leaked`, headers: admin })).statusCode).toBe(204);
  });

  it('refuses a NUL in a namespace policy and in a consumer name', async () => {
    await expectRefusedStoringNothing(
      () => publisher.request({ method: 'PUT', url: '/api/v1/namespaces/policy', headers: admin, payload: { namespace: 'com.acme\u0000/*', semverPolicy: 'warn' } }),
      'body.namespace',
    );
    expectRefused(await publisher.request({ method: 'GET', url: '/api/v1/admin/consumers/publisher%00', headers: admin }), 'path.name');
  });
});
