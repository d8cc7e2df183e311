import { generateKeyPairSync } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests only: real services observe the failed authentications whose audit is checked; production audit code never imports them.
import { catalogService } from '@toolport/catalog';
import { buildService } from '@toolport/platform';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests only, as above.
import { publisherService } from '@toolport/publisher';
import { eventually, testEnv, testInstanceName } from '@toolport/testing';
import { SignJWT } from 'jose';
import { admin, bearer } from '../__fixtures__/audit-fixtures';
import { type AuditTestEnv, startAudit } from '../__fixtures__/audit-test-env';
import type { AuditRecord } from '../transparency-log';
import type { RecordsPage } from '../audit-api/audit-records.controller';

// Issue 7: "failed authentication bursts" are emitted as events by the services that observe
// them and audited like any other. A real catalog and a real publisher refuse bad tokens; each
// appends one AuthenticationFailureBurstDetected per source and window to its own store, its
// relay publishes it on its own stream, and the audit service records it with the claimed
// subject (or the anonymous source) as actor and no token text anywhere.
const instance = testInstanceName('authburst');
const THRESHOLD = 5;
const noRateLimit = { TOOLPORT_RATE_LIMIT_IP_PER_MINUTE: '0', TOOLPORT_RATE_LIMIT_TOKEN_PER_MINUTE: '0' };
const burstSettings = { TOOLPORT_AUTH_FAILURE_BURST_THRESHOLD: String(THRESHOLD), TOOLPORT_AUTH_FAILURE_BURST_WINDOW_SECONDS: '300' };
let catalog: NestFastifyApplication;
let publisher: NestFastifyApplication;
let env: AuditTestEnv;
/** A well-formed EdDSA JWT claiming mallory, signed by a key that is not the registry's. */
let forged: string;
const GARBAGE = 'tp-not-a-jwt-9f8e7d6c5b4a39281706f5e4d3c2b1a0';

interface BurstRow {
  stream_id: string;
  data: { service: string; sourceIp: string; count: number; reasons: { reason: string; count: number }[]; claimedSubjects: string[]; claimedTokenIds: string[] };
  metadata: { actor: { kind: string; id: string } };
}

async function burstsIn(service: 'catalog' | 'publisher'): Promise<BurstRow[]> {
  const result = await env.pool.query<BurstRow>(
    `SELECT stream_id, data, metadata FROM ${instance}_${service}.events WHERE type = 'AuthenticationFailureBurstDetected' ORDER BY global_position`,
  );
  return result.rows;
}

async function auditedBursts(count: number): Promise<AuditRecord[]> {
  return eventually(
    async () => {
      const response = await env.request({ method: 'GET', url: '/api/v1/audit/records?type=AuthenticationFailureBurstDetected&limit=100', headers: admin });
      const items = response.json<RecordsPage>().items;
      return items.length >= count ? items : undefined;
    },
    { what: `${count} audited bursts` },
  );
}

/** Nothing a client sent as a credential appears in the row: neither token, nor its signature. */
async function expectNoSecretIn(sql: string): Promise<void> {
  const text = JSON.stringify((await env.pool.query(sql)).rows);
  for (const secret of [forged, forged.split('.')[2]!, GARBAGE, 'Bearer']) expect(text).not.toContain(secret);
}

beforeAll(async () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  forged = await new SignJWT({ roles: ['admin'], auth_method: 'github-oidc' })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setIssuer('toolport')
    .setAudience('toolport')
    .setSubject('mallory')
    .setJti('forged-token-1')
    .setExpirationTime('1h')
    .sign(privateKey);
  catalog = (await buildService(catalogService, catalogService.loadConfig(testEnv(instance, { ...noRateLimit, ...burstSettings })))).app;
  // Writes are rate limited per IP: 8 a minute, so the publisher refuses the 9th write with 429 before authenticating it.
  publisher = (
    await buildService(
      publisherService,
      publisherService.loadConfig(testEnv(instance, { ...burstSettings, TOOLPORT_VERIFY_PACKAGES: 'false', TOOLPORT_RATE_LIMIT_IP_PER_MINUTE: '8', TOOLPORT_RATE_LIMIT_TOKEN_PER_MINUTE: '0' })),
    )
  ).app;
  env = await startAudit('authburst', {}, instance);
}, 120_000);

afterAll(async () => {
  await catalog?.close();
  await publisher?.close();
  await env?.close();
});

it('the catalog emits nothing below the threshold, then exactly one burst per source and window, audited with the claimed subject', async () => {
  const read = (ip: string, headers: Record<string, string>) => catalog.inject({ method: 'GET', url: '/v0.1/servers', headers, remoteAddress: ip });
  for (let i = 0; i < THRESHOLD - 1; i++) {
    expect((await read('198.51.100.1', bearer(forged))).statusCode).toBe(401);
    expect((await read('198.51.100.2', bearer(forged))).statusCode).toBe(401);
  }
  expect(await burstsIn('catalog')).toEqual([]);

  for (let i = 0; i < 3 * THRESHOLD; i++) expect((await read('198.51.100.1', bearer(forged))).statusCode).toBe(401);
  // The request that reaches the threshold appends the event before its 401 goes out.
  const bursts = await burstsIn('catalog');
  expect(bursts).toHaveLength(1);
  expect(bursts[0]).toMatchObject({
    stream_id: 'auth-failures-198.51.100.1',
    data: { service: 'catalog', sourceIp: '198.51.100.1', count: THRESHOLD, reasons: [{ reason: 'bad_signature', count: THRESHOLD }], claimedSubjects: ['mallory'], claimedTokenIds: ['forged-token-1'] },
    metadata: { actor: { kind: 'user', id: 'mallory' } },
  });
  // A good request is not counted, and 198.51.100.2 stays below the threshold.
  expect((await read('198.51.100.2', admin)).statusCode).toBe(200);
  expect(await burstsIn('catalog')).toHaveLength(1);

  const [record] = await auditedBursts(1);
  expect(record).toMatchObject({
    type: 'AuthenticationFailureBurstDetected',
    actor: { kind: 'user', id: 'mallory' },
    subject: null,
    summary: `catalog refused ${THRESHOLD} authentications claiming mallory (unverified) from 198.51.100.1 within 300 s: bad_signature ${THRESHOLD}`,
  });
  await expectNoSecretIn(`SELECT * FROM ${env.auditSchema}.audit_records`);
  await expectNoSecretIn(`SELECT data, metadata FROM ${instance}_catalog.events`);
}, 60_000);

it('the publisher emits its own burst for refused writes (anonymous source), and rate limiting still refuses writes past its limit', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    const response = await publisher.inject({ method: 'POST', url: '/v0/publish', headers: bearer(GARBAGE), payload: { name: 'io.example/x', version: '1.0.0' }, remoteAddress: '203.0.113.50' });
    statuses.push(response.statusCode);
  }
  expect(statuses).toEqual([...Array<number>(8).fill(401), ...Array<number>(4).fill(429)]);

  const bursts = await burstsIn('publisher');
  expect(bursts).toHaveLength(1);
  expect(bursts[0]).toMatchObject({
    data: { service: 'publisher', sourceIp: '203.0.113.50', count: THRESHOLD, reasons: [{ reason: 'malformed', count: THRESHOLD }], claimedSubjects: [], claimedTokenIds: [] },
    metadata: { actor: { kind: 'anonymous', id: '203.0.113.50' } },
  });

  const records = await auditedBursts(2);
  const fromPublisher = records.find((r) => r.streamId === 'auth-failures-203.0.113.50');
  expect(fromPublisher).toMatchObject({
    actor: { kind: 'anonymous', id: '203.0.113.50' },
    summary: `publisher refused ${THRESHOLD} authentications from 203.0.113.50 within 300 s: malformed ${THRESHOLD}`,
  });
  await expectNoSecretIn(`SELECT * FROM ${env.auditSchema}.audit_records`);
  await expectNoSecretIn(`SELECT data, metadata FROM ${instance}_publisher.events`);
}, 60_000);
