import type { LightMyRequestResponse } from 'fastify';
import { admin } from '../__fixtures__/audit-fixtures';
import { type AuditTestEnv, startAudit } from '../__fixtures__/audit-test-env';

// PostgreSQL refuses U+0000 in text (22021): a NUL in an audit filter is the caller's mistake,
// a 400 problem+json naming the parameter, never a 500 (nor an export that breaks off).
let env: AuditTestEnv;
const get = (url: string) => env.request({ method: 'GET', url, headers: admin });

function expectRefused(response: LightMyRequestResponse, location: string): void {
  expect({ status: response.statusCode, body: response.body }).toMatchObject({ status: 400 });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ status: 400, title: 'Bad Request', detail: `${location} contains a NUL character (U+0000), which is not allowed`, errors: [{ location }] });
}

beforeAll(async () => {
  env = await startAudit('nulinput');
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe('NUL characters in audit queries', () => {
  it.each([
    ['/api/v1/audit/records?actor=rita%00', 'query.actor'],
    ['/api/v1/audit/records?server=io.example%2Fa%00b', 'query.server'],
    ['/api/v1/audit/records?type=VersionApproved%00', 'query.type'],
    ['/api/v1/audit/export?format=csv&server=a%00b', 'query.server'],
    ['/api/v1/audit/export?actor=%00', 'query.actor'],
    ['/api/v1/audit/records/1%00', 'path.seq'],
  ])('GET %s -> 400 problem+json naming %s', async (url, location) => {
    expectRefused(await get(url), location);
  });

  it('still answers the same queries without the NUL', async () => {
    expect((await get('/api/v1/audit/records?actor=rita')).statusCode).toBe(200);
    expect((await get('/api/v1/audit/export?format=csv&server=a')).statusCode).toBe(200);
  });
});
