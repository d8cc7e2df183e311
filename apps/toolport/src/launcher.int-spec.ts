import { SIGNING_KEY, type SigningKey, TokenService } from '@toolport/auth';
import { destroyInstance, eventually, TEST_ADMIN_KEY, testEnv, testInstanceName } from '@toolport/testing';
import { loadConfig } from './config';
import { type RunningToolport, startToolport } from './launcher';

// All five services in one process on one port, against the real PostgreSQL, NATS and Redis:
// what `npm start` runs. Also the access rules (issue test 7) end to end across services.
const instance = testInstanceName('launcher');
let toolport: RunningToolport;

const call = (method: string, path: string, options: { token?: string; body?: string; headers?: Record<string, string> } = {}) =>
  fetch(`${toolport.url}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    body: options.body,
  });

async function issueToken(body: object): Promise<{ id: string; token: string }> {
  const response = await call('POST', '/api/v1/tokens', { token: TEST_ADMIN_KEY, body: JSON.stringify(body) });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; token: string };
}

async function expectProblem(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as { status: number; code: string; detail: string; title: string };
  expect(problem).toMatchObject({ status, code });
  expect(problem.detail.length).toBeGreaterThan(10);
}

beforeAll(async () => {
  // The test client stands in for a proxy on the same host (TOOLPORT_TRUST_PROXY=loopback), so
  // X-Forwarded-For gives a request a source of its own (the burst test below).
  toolport = await startToolport(loadConfig(testEnv(instance, { PORT: '0', TOOLPORT_BODY_LIMIT_BYTES: '4096', TOOLPORT_TRUST_PROXY: 'loopback' })));
}, 60_000);

afterAll(async () => {
  await toolport?.close();
  await destroyInstance(instance);
});

describe('Toolport in one process', () => {
  it('is alive and ready, with every service checking Postgres, NATS and Redis', async () => {
    expect((await call('GET', '/healthz')).status).toBe(200);
    const ready = await eventually(async () => {
      const response = await call('GET', '/readyz');
      return response.status === 200 ? ((await response.json()) as { services: Record<string, { checks: Record<string, { ok: boolean }> }> }) : undefined;
    });
    expect(Object.keys(ready.services).sort()).toEqual(['audit', 'catalog', 'health', 'publisher', 'scanner']);
    for (const service of Object.values(ready.services)) {
      expect(Object.keys(service.checks).sort()).toEqual(['nats', 'postgres', 'redis']);
    }
  });

  it('serves Prometheus metrics and the merged OpenAPI document', async () => {
    const metrics = await call('GET', '/metrics');
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toContain('toolport_');
    for (const processMetric of ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_gc_duration_seconds', 'nodejs_eventloop_lag_p99_seconds']) expect(text).toContain(processMetric);
    const docs = (await (await call('GET', '/docs/json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/api/v1/tokens', '/api/v1/admin/consumers/{name}']));
    expect((await call('GET', '/docs')).status).toBe(200);
  });

  it('answers unknown routes and oversized bodies with problem+json', async () => {
    await expectProblem(await call('GET', '/no/such/route'), 404, 'NOT_FOUND');
    await expectProblem(await call('POST', '/api/v1/tokens', { token: TEST_ADMIN_KEY, body: JSON.stringify({ subject: 'x'.repeat(8000) }) }), 413, 'PAYLOAD_TOO_LARGE');
    await expectProblem(await call('POST', '/api/v1/tokens', { token: TEST_ADMIN_KEY, body: '{not json' }), 400, 'BAD_REQUEST');
  });

  it('refuses a write with no token (401)', async () => {
    await expectProblem(await call('POST', '/api/v1/tokens', { body: JSON.stringify({ subject: 'x', roles: ['reader'] }) }), 401, 'TOKEN_MISSING');
  });

  it('refuses a token without the required role (403)', async () => {
    const { token } = await issueToken({ subject: 'robot-reader', roles: ['reader'] });
    await expectProblem(await call('POST', '/api/v1/tokens', { token, body: JSON.stringify({ subject: 'x', roles: ['reader'] }) }), 403, 'ROLE_REQUIRED');
    await expectProblem(await call('GET', '/api/v1/admin/consumers/catalog-token-revocations', { token }), 403, 'ROLE_REQUIRED');
  });

  it('refuses an expired token (401)', async () => {
    // Signed with the instance's real key by a TokenService whose clock is two hours behind.
    const key = toolport.apps.publisher.app.get<symbol, SigningKey>(SIGNING_KEY);
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    const pastTokens = new TokenService({ key, issuer: 'toolport', audience: 'toolport', clock: () => twoHoursAgo });
    const expired = await pastTokens.issue({ subject: 'old', roles: ['admin'], permissions: [], authMethod: 'api-token', expiresAt: new Date(twoHoursAgo.getTime() + 60_000) });
    await expectProblem(await call('GET', '/api/v1/admin/consumers/catalog-token-revocations', { token: expired.token }), 401, 'TOKEN_EXPIRED');
  });

  it('refuses a tampered token (401)', async () => {
    const { token } = await issueToken({ subject: 'ops-bot', roles: ['ops'] });
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');
    await expectProblem(await call('POST', '/api/v1/admin/consumers/catalog-token-revocations/skip', { token: `${header}.${forged}.${signature}` }), 401, 'TOKEN_INVALID');
  });

  it('refuses a revoked token in every service once the revocation event reaches it (401)', async () => {
    const { id, token } = await issueToken({ subject: 'ops-bot-2', roles: ['ops'] });
    for (const service of ['publisher', 'catalog', 'scanner', 'health', 'audit']) {
      expect((await call('GET', `/api/v1/admin/consumers/${service}-token-revocations`, { token })).status).toBe(200);
    }
    expect((await call('DELETE', `/api/v1/tokens/${id}`, { token: TEST_ADMIN_KEY })).status).toBe(204);
    for (const service of ['publisher', 'catalog', 'scanner', 'health', 'audit']) {
      const refused = await eventually(async () => {
        const response = await call('GET', `/api/v1/admin/consumers/${service}-token-revocations`, { token });
        return response.status === 401 ? response : undefined;
      }, { what: `${service} to refuse the revoked token` });
      await expectProblem(refused, 401, 'TOKEN_REVOKED');
    }
  });

  it('turns a burst of refused tokens at each of the five services into one audit record per service', async () => {
    // Issue 7: failed authentication bursts are emitted by the services that observe them (each to
    // its own stream) and audited like any event. A source of its own (the loopback
    // client is a trusted proxy here, so X-Forwarded-For names it), so the failures of the tests above do not count with these.
    const key = toolport.apps.publisher.app.get<symbol, SigningKey>(SIGNING_KEY);
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    const pastTokens = new TokenService({ key, issuer: 'toolport', audience: 'toolport', clock: () => twoHoursAgo });
    const expired = await pastTokens.issue({ subject: 'eve', roles: ['admin'], permissions: [], authMethod: 'github-oidc', expiresAt: new Date(twoHoursAgo.getTime() + 60_000) });
    const services = ['publisher', 'catalog', 'scanner', 'health', 'audit'];
    for (const service of services) {
      for (let i = 0; i < 10; i++) {
        const response = await call('GET', `/api/v1/admin/consumers/${service}-token-revocations`, { token: expired.token, headers: { 'x-forwarded-for': '192.0.2.77' } });
        expect(response.status).toBe(401);
      }
    }
    type Records = { items: { type: string; actor: unknown; summary: string; payload: { service: string } }[] };
    const records = await eventually(async () => {
      const response = await call('GET', '/api/v1/audit/records?type=AuthenticationFailureBurstDetected&actor=eve&limit=100', { token: TEST_ADMIN_KEY });
      const body = (await response.json()) as Records;
      return body.items.length >= services.length ? body.items : undefined;
    }, { what: 'a burst record from every service' });
    expect(records.map((r) => r.payload.service).sort()).toEqual([...services].sort());
    for (const record of records) {
      expect(record.actor).toEqual({ kind: 'user', id: 'eve' });
      expect(record.summary).toBe(`${record.payload.service} refused 10 authentications claiming eve (unverified) from 192.0.2.77 within 60 s: expired 10`);
      expect(JSON.stringify(record)).not.toContain(expired.token.split('.')[2]);
    }
  });
});
