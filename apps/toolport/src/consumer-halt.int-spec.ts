import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { auditService } from '@toolport/audit';
import { DEFAULT_NATS_DEFINITIONS_DIR } from '@toolport/messaging';
import { buildService, PG_POOL } from '@toolport/platform';
import { catalogService } from '@toolport/catalog';
import { publisherService } from '@toolport/publisher';
import { destroyInstance, eventually, TEST_ADMIN_KEY, testEnv, testInstanceName } from '@toolport/testing';
import type { Pool } from 'pg';

// Issue test 5 end to end (the halt policy): a projection that cannot apply a message stops
// there and says so in /readyz and /metrics, applies nothing behind it, and goes on after an
// explicit admin action over HTTP: resume once the cause is fixed, or skip the message. Issue 7:
// each action is recorded by the consuming service (ConsumerResumed, ConsumerMessageSkipped in
// its own store and stream) before it takes effect, and the audit log records it with the admin.
const instance = testInstanceName('halt');
let definitionsDir: string;
let publisher: NestFastifyApplication;
let catalog: NestFastifyApplication;
let audit: NestFastifyApplication;
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

/** The catalog's record of admin actions on its consumer (its own event store), in order. */
async function consumerEvents(): Promise<Array<{ type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }>> {
  const { rows } = await pool.query(`select type, data, metadata from ${instance}_catalog.events where stream_id = 'consumer-catalog-token-revocations' order by stream_version`);
  return rows;
}

type AuditRecords = { items: Array<{ type: string; actor: unknown; summary: string; payload: Record<string, unknown> }> };
async function auditRecordOf(type: string, count: number): Promise<AuditRecords['items']> {
  return eventually(async () => {
    const response = await audit.inject({ method: 'GET', url: `/api/v1/audit/records?type=${type}`, headers: admin });
    const items = response.json<AuditRecords>().items;
    return items.length >= count ? items : undefined;
  }, { what: `${count} ${type} audit record(s)` });
}

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
  audit = (await buildService(auditService, auditService.loadConfig(env))).app;
  pool = catalog.get<symbol, Pool>(PG_POOL);
}, 90_000);

afterAll(async () => {
  await audit?.close();
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
  const haltedOn = status.json<{ halted: { streamSequence: number; eventId: string } }>().halted;
  const resumed = await catalog.inject({ method: 'POST', url: '/api/v1/admin/consumers/catalog-token-revocations/resume', headers: admin, payload: { reason: 'constraint dropped' } });
  expect(resumed.statusCode).toBe(200);
  const [resumeEvent] = await consumerEvents();
  expect(resumeEvent).toMatchObject({
    type: 'ConsumerResumed',
    data: { service: 'catalog', consumer: 'catalog-token-revocations', stream: 'publisher', streamSequence: haltedOn.streamSequence, eventId: haltedOn.eventId, eventType: 'TokenRevoked', reason: 'constraint dropped' },
    metadata: { actor: { kind: 'token', id: 'bootstrap-admin' } },
  });
  expect(resumeEvent!.data).toMatchObject({ haltError: expect.stringContaining('refuse_stuck') });
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
  const withoutReason = await catalog.inject({ method: 'POST', url: '/api/v1/admin/consumers/catalog-token-revocations/skip', headers: admin });
  expect(withoutReason.statusCode).toBe(400); // a skip loses a message: say why
  expect(withoutReason.json()).toMatchObject({ code: 'CONSUMER_ACTION_INVALID', errors: [{ location: 'body.reason' }] });
  expect(await consumerEvents()).toHaveLength(1); // only the resume above
  const haltedOn = (await catalog.inject({ method: 'GET', url: '/api/v1/admin/consumers/catalog-token-revocations', headers: admin })).json<{
    state: string;
    halted: { streamSequence: number; eventId: string };
  }>();
  expect(haltedOn.state).toBe('halted');

  const reason = 'token revoked again by hand in the catalog DB';
  const skip = await catalog.inject({ method: 'POST', url: '/api/v1/admin/consumers/catalog-token-revocations/skip', headers: admin, payload: { reason } });
  expect(skip.statusCode).toBe(200);
  const skipEvent = (await consumerEvents())[1];
  expect(skipEvent).toMatchObject({
    type: 'ConsumerMessageSkipped',
    data: { service: 'catalog', consumer: 'catalog-token-revocations', streamSequence: haltedOn.halted.streamSequence, eventId: haltedOn.halted.eventId, eventType: 'TokenRevoked', reason },
    metadata: { actor: { kind: 'token', id: 'bootstrap-admin' } },
  });
  await eventually(async () => (!(await catalogAccepts(after.token)) ? true : undefined), { what: 'the revocation behind the skipped one' });
  expect(await catalogAccepts(skipped.token)).toBe(true); // the skipped revocation was never applied here
  expect((await catalog.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);

  // The audit log has both actions from the catalog's stream, with the admin as actor.
  const [skipRecord] = await auditRecordOf('ConsumerMessageSkipped', 1);
  expect(skipRecord).toMatchObject({ actor: { kind: 'token', id: 'bootstrap-admin' }, payload: { service: 'catalog', eventId: haltedOn.halted.eventId } });
  expect(skipRecord!.summary).toBe(
    `token bootstrap-admin had catalog-token-revocations (catalog) skip TokenRevoked ${haltedOn.halted.eventId} at stream sequence ${haltedOn.halted.streamSequence}, which it never applies: ${reason}`,
  );
  const [resumeRecord] = await auditRecordOf('ConsumerResumed', 1);
  expect(resumeRecord).toMatchObject({ actor: { kind: 'token', id: 'bootstrap-admin' }, payload: { consumer: 'catalog-token-revocations', reason: 'constraint dropped' } });
});
