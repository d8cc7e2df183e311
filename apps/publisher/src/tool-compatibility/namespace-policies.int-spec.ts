import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { API_TOKEN_AUTH_METHOD, type Role, TokenService } from '@toolport/auth';
import { readPlatformConfig } from '@toolport/config';
import { EVENT_STORE, type EventStore, eventStoreMigrations } from '@toolport/event-store';
import { buildService, type ServiceDefinition, serviceModule } from '@toolport/platform';
import { destroyInstance, TEST_ADMIN_KEY, testEnv, testInstanceName } from '@toolport/testing';
import { policyFor } from './compatibility';
import { NAMESPACE_POLICIES_STREAM } from './namespace-policies';
import { NamespacePolicyReader } from './namespace-policy-reader';
import { ToolCompatibilityModule } from './tool-compatibility.module';

// The two namespace-policy endpoints in a publisher-shaped app (the platform's service module:
// Postgres event store, auth guard, problem+json) with only this feature mounted, against the
// real Postgres, NATS and Redis.
@Module({})
class NamespacePoliciesTestApp {}

const definition: ServiceDefinition = {
  name: 'publisher',
  defaultPort: 0,
  migrations: eventStoreMigrations,
  loadConfig: (env) => readPlatformConfig(env, 'publisher', 0),
  module: (runtime) => serviceModule(NamespacePoliciesTestApp, runtime, { relay: false, imports: [ToolCompatibilityModule] }),
  routes: [],
};

const instance = testInstanceName('nspolicy');
let app: NestFastifyApplication;
const tokens: Partial<Record<Role, string>> = {};

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const admin = auth(TEST_ADMIN_KEY);
const put = (payload: unknown, headers: Record<string, string> = admin) =>
  app.inject({ method: 'PUT', url: '/api/v1/namespaces/policy', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
const list = (headers: Record<string, string> = admin) => app.inject({ method: 'GET', url: '/api/v1/namespaces/policies', headers });
const stored = () => app.get<symbol, EventStore>(EVENT_STORE).readStream(NAMESPACE_POLICIES_STREAM);

beforeAll(async () => {
  app = (await buildService(definition, definition.loadConfig(testEnv(instance)))).app;
  const issuer = app.get(TokenService);
  for (const role of ['publisher', 'reviewer', 'reader'] as const) {
    const issued = await issuer.issue({
      subject: `${role}-bot`,
      roles: [role],
      permissions: role === 'publisher' ? [{ action: 'publish', resource: 'com.acme/*' }] : [],
      authMethod: API_TOKEN_AUTH_METHOD,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    tokens[role] = issued.token;
  }
}, 60_000);

afterAll(async () => {
  await app?.close();
  await destroyInstance(instance);
});

describe('PUT /api/v1/namespaces/policy', () => {
  it('lets an admin set a policy: 200 with every policy, one NamespacePolicySet event recording the admin', async () => {
    const response = await put({ namespace: 'com.acme/*', semverPolicy: 'enforce' }, { ...admin, 'x-correlation-id': 'policy-test-1' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ policies: [{ namespace: 'com.acme/*', semverPolicy: 'enforce' }], defaultPolicy: 'warn' });

    const events = await stored();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'NamespacePolicySet',
      data: { namespace: 'com.acme/*', semverPolicy: 'enforce' },
      metadata: { streamId: NAMESPACE_POLICIES_STREAM, streamVersion: 1, correlationId: 'policy-test-1', actor: { id: 'bootstrap-admin' } },
    });
  });

  it('appends nothing when the policy is set again, and a new event when it changes', async () => {
    const again = await put({ namespace: 'com.acme/*', semverPolicy: 'enforce' });
    expect(again.statusCode).toBe(200);
    expect(await stored()).toHaveLength(1);

    expect((await put({ namespace: 'com.acme/legacy', semverPolicy: 'off' })).statusCode).toBe(200);
    const changed = await put({ namespace: 'com.acme/*', semverPolicy: 'warn' });
    expect(changed.json().policies).toEqual([
      { namespace: 'com.acme/*', semverPolicy: 'warn' },
      { namespace: 'com.acme/legacy', semverPolicy: 'off' },
    ]);
    expect((await stored()).map((e) => e.data)).toEqual([
      { namespace: 'com.acme/*', semverPolicy: 'enforce' },
      { namespace: 'com.acme/legacy', semverPolicy: 'off' },
      { namespace: 'com.acme/*', semverPolicy: 'warn' },
    ]);
  });

  it('refuses a bad pattern or policy with 400 problem+json naming the field, storing nothing', async () => {
    const before = (await stored()).length;
    const badPattern = await put({ namespace: 'com.*/weather', semverPolicy: 'enforce' });
    expect(badPattern.statusCode).toBe(400);
    expect(badPattern.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(badPattern.json()).toMatchObject({ status: 400, code: 'NAMESPACE_POLICY_INVALID', errors: [{ location: 'namespace', value: 'com.*/weather' }] });

    const badBody = await put({ namespace: 'com.acme/*', semverPolicy: 'strict', extra: 1 });
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json<{ errors: Array<{ location: string }> }>().errors.map((e) => e.location).sort()).toEqual(['extra', 'semverPolicy']);
    expect((await stored()).length).toBe(before);
  });

  it('is for admins only: 401 without a token, 403 for publishers and reviewers', async () => {
    const body = { namespace: 'com.acme/*', semverPolicy: 'off' };
    expect((await app.inject({ method: 'PUT', url: '/api/v1/namespaces/policy', payload: body })).statusCode).toBe(401);
    for (const role of ['publisher', 'reviewer'] as const) {
      const response = await put(body, auth(tokens[role]!));
      expect(response.statusCode).toBe(403);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await stored()).at(-1)!.data).toEqual({ namespace: 'com.acme/*', semverPolicy: 'warn' });
  });
});

describe('GET /api/v1/namespaces/policies', () => {
  it('answers admins, publishers and reviewers; not readers nor anonymous callers', async () => {
    const expected = {
      policies: [
        { namespace: 'com.acme/*', semverPolicy: 'warn' },
        { namespace: 'com.acme/legacy', semverPolicy: 'off' },
      ],
      defaultPolicy: 'warn',
    };
    for (const headers of [admin, auth(tokens.publisher!), auth(tokens.reviewer!)]) {
      const response = await list(headers);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(expected);
    }
    expect((await list(auth(tokens.reader!))).statusCode).toBe(403);
    expect((await list({})).statusCode).toBe(401);
  });
});

describe('NamespacePolicyReader', () => {
  it('reads the policies through the event store, ready for policyFor', async () => {
    const policies = await app.get(NamespacePolicyReader).policies();
    expect(policyFor(policies, 'com.acme/legacy')).toBe('off');
    expect(policyFor(policies, 'com.acme/weather')).toBe('warn');
    expect(policyFor(policies, 'org.other/tool')).toBe('warn');
  });
});
