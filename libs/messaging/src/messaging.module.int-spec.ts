import type { NatsConnection } from '@nats-io/nats-core';
import { Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TEST_DATABASE_URL, TEST_NATS_URL, testInstanceName } from '@toolport/testing';
import type { PoolClient } from 'pg';
import {
  appendRevocations,
  type MessagingTestEnv,
  openMessagingTestEnv,
  recordingLogger,
  waitFor,
} from './__fixtures__/messaging-test-env';
import type { ConsumerRegistry } from './consumer-registry';
import type { MessageInfo } from './consumer-runner';
import { ProjectionConsumer, type ProjectionHandler } from './consumer.decorator';
import type { ConsumedEvent } from './envelope-codec';
import { loadMessagingDefinitions } from './provisioning';
import { messagingReadiness } from './messaging-readiness';
import { MessagingModule } from './messaging.module';
import { CONSUMER_REGISTRY, NATS_CONNECTION } from './messaging.tokens';

const TABLE = Symbol('revocations table');

@ProjectionConsumer('token-revocations')
@Injectable()
class RevocationsProjection implements ProjectionHandler {
  constructor(@Inject(TABLE) private readonly table: string) {}

  async handle(event: ConsumedEvent, tx: PoolClient, info: MessageInfo): Promise<void> {
    await tx.query(`INSERT INTO ${this.table} (token_id, stream_sequence) VALUES ($1, $2)`, [
      (event.data as { tokenId: string }).tokenId,
      info.streamSequence,
    ]);
  }
}

// @ts-expect-error a class without handle(event, tx, info) cannot be a projection consumer
@ProjectionConsumer('not-a-handler')
class NotAHandler {}
void NotAHandler;

describe('MessagingModule (Nest, real Postgres and NATS)', () => {
  let env: MessagingTestEnv;

  beforeAll(async () => {
    env = await openMessagingTestEnv(testInstanceName('nest'), { databaseUrl: TEST_DATABASE_URL, natsUrl: TEST_NATS_URL });
    await env.pool.query(`CREATE TABLE ${env.schema}.revoked (token_id text PRIMARY KEY, stream_sequence bigint NOT NULL)`);
  });
  afterAll(async () => {
    await env?.close();
  });

  it('provisions from infra/nats, relays appended events to a decorated projection, and shuts down in order', async () => {
    const logger = recordingLogger();
    @Module({
      imports: [
        MessagingModule.forRoot({
          instance: env.instance,
          service: 'publisher',
          natsUrl: TEST_NATS_URL,
          pool: env.pool,
          schema: env.schema,
          registry: env.registry,
          relay: true,
          relayOptions: { pollIntervalMs: 10_000 },
          fetchExpiresMs: 1000,
          logger,
        }),
      ],
      providers: [{ provide: TABLE, useValue: `${env.schema}.revoked` }, RevocationsProjection],
    })
    class TestAppModule {}

    const app = await NestFactory.createApplicationContext(TestAppModule, { logger: ['error', 'warn'] });
    const nc = app.get<NatsConnection>(NATS_CONNECTION);
    const consumers = app.get<ConsumerRegistry>(CONSUMER_REGISTRY);
    try {
      expect(consumers.statuses()).toEqual([
        { consumer: 'publisher-token-revocations', durable: `${env.instance}-publisher-token-revocations`, kind: 'projection', state: 'running' },
      ]);
      // Every stream and consumer of the repository's definitions exists for this instance.
      const streams: string[] = [];
      for await (const name of env.jsm.streams.names()) if (name.startsWith(env.instance.toUpperCase())) streams.push(name);
      const definitions = await loadMessagingDefinitions();
      expect(streams.sort()).toEqual(definitions.streams.map((s) => `${env.instance.toUpperCase()}_${s.name.toUpperCase()}`).sort());
      const durables: string[] = [];
      for await (const info of env.jsm.consumers.list(`${env.instance.toUpperCase()}_PUBLISHER`)) durables.push(info.name);
      expect(durables.sort()).toEqual(definitions.consumers.filter((c) => c.stream === 'publisher').map((c) => `${env.instance}-${c.name}`).sort());
      expect(durables).toEqual(expect.arrayContaining(['audit', 'catalog', 'health', 'publisher', 'scanner'].map((s) => `${env.instance}-${s}-token-revocations`)));

      const [revoked] = await appendRevocations(env, ['nest-1']);
      await waitFor('the projection applied the revocation', async () => {
        const { rows } = await env.pool.query(`SELECT token_id FROM ${env.schema}.revoked`);
        return rows.length === 1;
      });
      expect(revoked!.type).toBe('TokenRevoked');
      expect(await messagingReadiness(nc, consumers)).toMatchObject({ ok: true });
    } finally {
      await app.close();
    }

    expect(nc.isClosed()).toBe(true);
    expect(consumers.statuses().map((s) => s.state)).toEqual(['stopped']);
    // The relay's session ended with it: no advisory lock is left behind.
    const { rows } = await env.pool.query(
      `SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND a.application_name = $1`,
      [`test-${env.instance}`],
    );
    expect(rows).toEqual([]);
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });
});
