import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { durableName, streamName } from '@toolport/contracts';
import { buildService, PG_POOL } from '@toolport/platform';
import { catalogService } from '@toolport/catalog';
import { publisherService } from '@toolport/publisher';
import { destroyInstance, eventually, TEST_ADMIN_KEY, TEST_NATS_URL, testEnv, testInstanceName } from '@toolport/testing';
import type { Pool } from 'pg';

// Issue test 1: events appended by one service (the publisher's TokenRevoked) reach another
// service's consumer (the catalog's token-revocations projection) exactly once in effect,
// across a restart of the consuming service - two separate Nest applications, as in scale-out.
const instance = testInstanceName('xservice');
const env = testEnv(instance);
let publisher: NestFastifyApplication;
let catalog: NestFastifyApplication | undefined;
let nc: NatsConnection;

const startCatalog = async () => (await buildService(catalogService, catalogService.loadConfig(env))).app;

async function issueAndRevoke(subject: string): Promise<string> {
  const issued = await publisher.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
    payload: { subject, roles: ['ops'] },
  });
  expect(issued.statusCode).toBe(201);
  const { id, token } = issued.json<{ id: string; token: string }>();
  const revoked = await publisher.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
  expect(revoked.statusCode).toBe(204);
  return token;
}

async function catalogRefuses(token: string): Promise<void> {
  await eventually(
    async () => {
      const response = await catalog!.inject({ method: 'GET', url: '/api/v1/admin/consumers/catalog-token-revocations', headers: { authorization: `Bearer ${token}` } });
      return response.statusCode === 401 && response.json<{ code: string }>().code === 'TOKEN_REVOKED' ? true : undefined;
    },
    { what: 'the catalog to refuse the revoked token' },
  );
}

beforeAll(async () => {
  publisher = (await buildService(publisherService, publisherService.loadConfig(env))).app;
  catalog = await startCatalog();
  nc = await connect({ servers: TEST_NATS_URL });
}, 60_000);

afterAll(async () => {
  await catalog?.close();
  await publisher?.close();
  await nc?.close();
  await destroyInstance(instance);
});

it('applies every revocation exactly once in the catalog, across a catalog restart', async () => {
  const first = await issueAndRevoke('before-restart');
  await catalogRefuses(first);

  // The catalog goes away; the publisher keeps appending; JetStream keeps the messages.
  await catalog!.close();
  catalog = undefined;
  const whileDown = [await issueAndRevoke('while-down-1'), await issueAndRevoke('while-down-2')];

  catalog = await startCatalog();
  for (const token of whileDown) await catalogRefuses(token);

  const pool = catalog.get<symbol, Pool>(PG_POOL);
  const schema = `${instance}_catalog`;
  const rows = await pool.query<{ count: string }>(`select count(*) from ${schema}.revoked_tokens`);
  expect(Number(rows.rows[0]!.count)).toBe(3);

  // The projection's checkpoint is the last message's stream sequence, and JetStream has
  // nothing pending or unacknowledged for the durable consumer.
  const jsm = await jetstreamManager(nc);
  const info = await jsm.consumers.info(streamName(instance, 'publisher'), durableName(instance, 'catalog-token-revocations'));
  expect(info.num_pending).toBe(0);
  expect(info.num_ack_pending).toBe(0);
  const checkpoint = await pool.query<{ stream_sequence: string }>(`select stream_sequence from ${schema}.consumer_checkpoints where consumer = $1`, ['catalog-token-revocations']);
  expect(Number(checkpoint.rows[0]!.stream_sequence)).toBe(info.ack_floor.stream_seq);
  // 3 issued + 3 revoked events on the publisher stream; the consumer only sees the revocations.
  const stream = await jsm.streams.info(streamName(instance, 'publisher'));
  expect(stream.state.messages).toBe(6);
});
