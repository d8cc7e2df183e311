import type { LightMyRequestResponse } from 'fastify';
import { TEST_ADMIN_KEY } from '@toolport/testing';
import { ANON, type HealthTestEnv, startHealthTestEnv } from '../__fixtures__/health-test-env';

// PostgreSQL refuses U+0000 in text (22021): a NUL in a server name or a version the health API
// looks up is the caller's mistake, a 400 problem+json naming where it is, never a 500.
let env: HealthTestEnv;
const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
const enc = encodeURIComponent;
const get = (url: string) => env.health[0]!.inject({ method: 'GET', url, headers: admin });

function expectRefused(response: LightMyRequestResponse, location: string): void {
  expect({ status: response.statusCode, body: response.body }).toMatchObject({ status: 400 });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ status: 400, title: 'Bad Request', detail: `${location} contains a NUL character (U+0000), which is not allowed`, errors: [{ location }] });
}

beforeAll(async () => {
  env = await startHealthTestEnv('nulinput', { LOG_LEVEL: 'warn' });
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe('NUL characters in health requests', () => {
  it.each([
    ['/api/v1/health/servers/a%00b', 'path.serverName'],
    [`/api/v1/health/servers/${enc(`${ANON}/weather`)}?version=1.0.0%00`, 'query.version'],
    ['/api/v1/health/stream?after=%00', 'query.after'],
  ])('GET %s -> 400 problem+json naming %s', async (url, location) => {
    expectRefused(await get(url), location);
  });

  it('still answers without the NUL (404 for a server it does not know)', async () => {
    expect((await get(`/api/v1/health/servers/${enc(`${ANON}/weather`)}?version=1.0.0`)).statusCode).toBe(404);
  });
});
