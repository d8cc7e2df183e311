import type { LightMyRequestResponse } from 'fastify';
import { TEST_ADMIN_KEY } from '@toolport/testing';
import { forecastTool } from '../__fixtures__/scan-tools';
import { ANON, enc, ScannerTestEnv, serverJson } from '../__fixtures__/scanner-test-env';

// PostgreSQL refuses U+0000 in text (22021) and jsonb (22P05): a NUL in a server name, a version,
// a cursor or a justification is the caller's mistake, a 400 problem+json naming where it is,
// never a 500, and a refused review stores nothing.
let env: ScannerTestEnv;
const NAME = `${ANON}/nul-scanned`;
const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
const NUL = 'contains a NUL character (U+0000), which is not allowed';

const storedEvents = async () => Number((await env.pool.query(`select count(*) from ${env.scannerSchema}.events`)).rows[0].count);

function expectRefused(response: LightMyRequestResponse, location: string, detail = `${location} ${NUL}`): void {
  expect({ status: response.statusCode, body: response.body }).toMatchObject({ status: 400 });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ status: 400, title: 'Bad Request', detail, errors: [{ location }] });
}

beforeAll(async () => {
  env = await ScannerTestEnv.start('nulinput');
  await env.publish(serverJson(NAME, '1.0.0', [forecastTool]));
  await env.waitForScanEvents(NAME, '1.0.0', 'ScanCompleted');
}, 120_000);

afterAll(async () => {
  await env?.close();
});

describe('NUL characters in scanner requests', () => {
  it.each([
    ['GET', '/api/v1/scans/a%00b/1.0.0', 'path.serverName'],
    ['GET', `/api/v1/scans/${enc(NAME)}/1.0.0%00`, 'path.version'],
    ['POST', '/api/v1/scans/a%00b/1.0.0/rescan', 'path.serverName'],
    ['POST', '/api/v1/reviews/a%00b/1.0.0/approve', 'path.serverName'],
    ['POST', `/api/v1/reviews/${enc(NAME)}/1.0.0%00/reject`, 'path.version'],
    ['GET', '/api/v1/reviews?state=pending%00', 'query.state'],
  ] as const)('%s %s -> 400 problem+json naming %s, storing nothing', async (method, url, location) => {
    const before = await storedEvents();
    const payload = method === 'POST' ? { justification: 'looked at it' } : undefined;
    expectRefused(await env.request({ method, url, headers: admin, ...(payload ? { payload } : {}) }), location);
    expect(await storedEvents()).toBe(before);
  });

  it('refuses a NUL in a justification, storing nothing', async () => {
    const before = await storedEvents();
    const response = await env.request({ method: 'POST', url: `/api/v1/reviews/${enc(NAME)}/1.0.0/reject`, headers: admin, payload: { justification: 'unsafe\u0000' } });
    expectRefused(response, 'body.justification');
    expect(await storedEvents()).toBe(before);
  });

  it('refuses a review-queue cursor whose decoded content holds a NUL as not a cursor', async () => {
    const cursor = Buffer.from(JSON.stringify([`${ANON}/a\u0000b`, '1.0.0'])).toString('base64url');
    expectRefused(await env.request({ method: 'GET', url: `/api/v1/reviews?cursor=${cursor}`, headers: admin }), 'query.cursor', 'query.cursor: is not a cursor this API returned');
  });

  it('still answers the same requests without the NUL', async () => {
    expect((await env.request({ method: 'GET', url: `/api/v1/scans/${enc(NAME)}/1.0.0`, headers: admin })).statusCode).toBe(200);
    expect((await env.request({ method: 'GET', url: '/api/v1/reviews?state=pending', headers: admin })).statusCode).toBe(200);
  });
});
