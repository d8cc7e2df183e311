import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DEFAULT_NATS_DEFINITIONS_DIR } from '@toolport/messaging';
import { buildService, PG_POOL } from '@toolport/platform';
import { catalogService } from '@toolport/catalog';
import { publisherService } from '@toolport/publisher';
import { destroyInstance, eventually, TEST_ADMIN_KEY, testEnv, testInstanceName } from '@toolport/testing';
import type { Pool } from 'pg';

// Issue test 5 end to end (the halt policy): a projection that cannot apply a message stops
// there and says so in /readyz and /metrics, applies nothing behind it, and goes on after an
// explicit admin action over HTTP: resume once the cause is fixed, or skip the message.
const instance = testInstanceName('halt');
let definitionsDir: string;
let publisher: NestFastifyApplication;
let catalog: NestFastifyApplication;
let pool: Pool;
const revokedTable = `${instance}_catalog.revoked_tokens`;
const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

async function issue(subject: string): Promise<{ id: string; token: string }> {
  const issued = await publisher.inject({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { subject, roles: ['ops'] } });
  expect(issued.statusCode).toBe(201);
  return issued.json<{ id: string; token: string }>();
}

async function revoke(id: string): Promise<void> {
  expect((await publisher.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: admin })).statusCode).toBe(204);
}

/** Makes the catalog's projection fail on one token's revocation only (reads keep working). */
const refuseRevocationOf = (tokenId: string, constraint: string) =>
  pool.query(`alter table ${revokedTable} add constraint ${constraint} check (token_id <> '${tokenId}')`);

const catalogAccepts = async (token: string) =>
  (await catalog.inject({ method: 'GET', url: '/api/v1/admin/consumers/catalog-token-revocations', headers: { authorization: `Bearer ${token}` } })).statusCode === 200;

async function waitForHalt(): Promise<void> {
  const readiness = await eventually(async () => {
    const response = await catalog.inject({ method: 'GET', url: '/readyz' });
    return response.statusCode === 503 ? response.json<{ checks: { nats: { ok: boolean; detail: string } } }>() : undefined;
  }, { what: 'the catalog to report the halted projection' });
  expect(readiness.checks.nats.detail).toMatch(/catalog-token-revocations halted at stream sequence \d+ \(TokenRevoked/);
  const metrics = (await catalog.inject({ method: 'GET', url: '/metrics' })).body;
  expect(metrics).toMatch(new RegExp(`toolport_consumer_halted\\{consumer="${instance}-catalog-token-revocations"\\} 1`));
}

beforeAll(async () => {
  // Same definitions as production, but the catalog gives up after 2 quick attempts.
  definitionsDir = await mkdtemp(path.join(tmpdir(), 'toolport-nats-'));
  const consumers = JSON.parse(await readFile(path.join(DEFAULT_NATS_DEFINITIONS_DIR, 'consumers.json'), 'utf8')) as { consumers: Array<Record<string, unknown>> };
  for (const consumer of consumers.consumers) if (consumer['name'] === 'catalog-token-revocations') Object.assign(consumer, { maxDeliver: 2, backoffSeconds: [0.05] });
  await writeFile(path.join(definitionsDir, 'consumers.json'), JSON.stringify(consumers));
  await writeFile(path.join(definitionsDir, 'streams.json'), await readFile(path.join(DEFAULT_NATS_DEFINITIONS_DIR, 'streams.json')));
  const env = testEnv(instance, { TOOLPORT_NATS_DEFINITIONS: definitionsDir });
  publisher = (await buildService(publisherService, publisherService.loadConfig(env))).app;
  catalog = (await buildService(catalogService, catalogService.loadConfig(env))).app;
  pool = catalog.get<symbol, Pool>(PG_POOL);
}, 60_000);

afterAll(async () => {
  await catalog?.close();
  await publisher?.close();
  await destroyInstance(instance);
  if (definitionsDir) await rm(definitionsDir, { recursive: true, force: true });
});

it('halts on a message it cannot apply, reports it, and resumes over HTTP once the cause is fixed', async () => {
  expect((await catalog.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  const stuck = await issue('stuck');
  await refuseRevocationOf(stuck.id, 'refuse_stuck');
  await revoke(stuck.id);
  await waitForHalt();
  const behind = await issue('behind');
  await revoke(behind.id);
  await new Promise((r) => setTimeout(r, 300));
  expect(await catalogAccepts(behind.token)).toBe(true); // nothing behind the halted message is applied
  const status = await catalog.inject({ method: 'GET', url: '/api/v1/admin/consumers/catalog-token-revocations', headers: admin });
  expect(status.json()).toMatchObject({ state: 'halted', halted: { eventType: 'TokenRevoked' } });

  await pool.query(`alter table ${revokedTable} drop constraint refuse_stuck`);
  const resumed = await catalog.inject({ method: 'POST', url: '/api/v1/admin/consumers/catalog-token-revocations/resume', headers: admin });
  expect(resumed.statusCode).toBe(200);
  await eventually(async () => ((await catalog.inject({ method: 'GET', url: '/readyz' })).statusCode === 200 ? true : undefined), { what: 'readiness after resume' });
  await eventually(async () => (!(await catalogAccepts(stuck.token)) && !(await catalogAccepts(behind.token)) ? true : undefined), { what: 'both revocations applied' });
});

it('skips the message it is stuck on when an admin says so, and applies the rest', async () => {
  const skipped = await issue('skipped');
  await refuseRevocationOf(skipped.id, 'refuse_skipped');
  await revoke(skipped.id);
  await waitForHalt();

  const operator = await issue('operator');
  const refused = await catalog.inject({ method: 'POST', url: '/api/v1/admin/consumers/catalog-token-revocations/skip', headers: { authorization: `Bearer ${operator.token}` } });
  expect(refused.statusCode).toBe(403); // skipping loses a message: admins only

  const after = await issue('after-skip');
  await revoke(after.id);
  const skip = await catalog.inject({ method: 'POST', url: '/api/v1/admin/consumers/catalog-token-revocations/skip', headers: admin });
  expect(skip.statusCode).toBe(200);
  await eventually(async () => (!(await catalogAccepts(after.token)) ? true : undefined), { what: 'the revocation behind the skipped one' });
  expect(await catalogAccepts(skipped.token)).toBe(true); // the skipped revocation was never applied here
  expect((await catalog.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
});
