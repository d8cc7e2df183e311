import { SpanKind } from '@opentelemetry/api';
import { createTestTracing, type TestTracing } from '@toolport/observability';
import { TEST_DATABASE_URL, TEST_NATS_URL, testInstanceName } from '@toolport/testing';
import { register } from 'prom-client';
import {
  appendRevocations,
  type MessagingTestEnv,
  openMessagingTestEnv,
  positionsOf,
  readStream,
  recordingLogger,
  testConsumer,
  testContext,
  testDefinitions,
  tokenIssued,
  tokenRevoked,
  waitFor,
} from './__fixtures__/messaging-test-env';
import { ConsumerRunner } from './consumer-runner';
import { decodeEventMessage, EVENT_TYPE_HEADER } from './envelope-codec';
import { provisionJetStream } from './provisioning';
import { EventRelay, type EventRelayOptions } from './relay';

describe('EventRelay (real Postgres and NATS)', () => {
  let env: MessagingTestEnv;
  let tracing: TestTracing;
  const relays: EventRelay[] = [];
  const runners: ConsumerRunner[] = [];
  const projection = testConsumer('publisher-relay-check', 'halt');

  beforeAll(async () => {
    env = await openMessagingTestEnv(testInstanceName('relay'), { databaseUrl: TEST_DATABASE_URL, natsUrl: TEST_NATS_URL });
    await provisionJetStream(env.jsm, env.instance, testDefinitions([projection]));
    await env.pool.query(`CREATE TABLE ${env.schema}.applied (n serial PRIMARY KEY, event_id text NOT NULL, stream_sequence bigint NOT NULL)`);
    tracing = createTestTracing();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await tracing?.shutdown();
    await env?.close();
  });

  function startRelay(overrides: Partial<EventRelayOptions> = {}): EventRelay {
    const relay = new EventRelay({
      pool: env.pool,
      schema: env.schema,
      store: env.store,
      js: env.js,
      instance: env.instance,
      registry: env.registry,
      batchSize: 50,
      pollIntervalMs: 10_000,
      lockRetryMs: 100,
      retryDelayMs: 10_000,
      logger: recordingLogger(),
      ...overrides,
    });
    relays.push(relay);
    relay.start();
    return relay;
  }

  const checkpoint = async (): Promise<number> => {
    const { rows } = await env.pool.query<{ position: string }>(`SELECT position FROM ${env.schema}.relay_checkpoint`);
    return rows[0] ? Number(rows[0].position) : 0;
  };
  const head = async (): Promise<number> => {
    const events = await env.store.readAll({ after: 0, limit: 1_000_000 });
    return events.length === 0 ? 0 : events[events.length - 1]!.globalPosition;
  };
  const caughtUp = async (): Promise<boolean> => (await checkpoint()) === (await head());
  /** The relay's invariant: the stream holds every stored event once, in global-position order. */
  async function expectStreamMirrorsStore(): Promise<void> {
    const events = (await readStream(env, 'publisher')).filter((m) => m.headers?.has(EVENT_TYPE_HEADER));
    expect(positionsOf(events)).toEqual((await env.store.readAll({ after: 0, limit: 1_000_000 })).map((e) => e.globalPosition));
  }

  it('publishes appended events in global-position order with Nats-Msg-Id, type and trace headers', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;
    const context = testContext({ traceparent });
    await env.store.append('token-a', [tokenIssued('a'), tokenRevoked('a')], { expectedVersion: 'no_stream', context });
    await env.store.append('token-b', [tokenIssued('b')], { expectedVersion: 'no_stream', context });
    await appendRevocations(env, ['c', 'd']);
    const relay = startRelay();
    await waitFor('relay caught up', caughtUp);
    expect(relay.isLeader()).toBe(true);

    const messages = await readStream(env, 'publisher');
    const stored = await env.store.readAll({ after: 0, limit: 100 });
    expect(messages.map((m) => m.subject)).toEqual(stored.map((e) => `${env.instance}.publisher.token.${e.type}`));
    expect(messages.map((m) => m.headers?.get('Nats-Msg-Id'))).toEqual(stored.map((e) => e.metadata.eventId));
    expect(messages.map((m) => m.headers?.get(EVENT_TYPE_HEADER))).toEqual(stored.map((e) => e.type));
    expect(messages.map((m) => decodeEventMessage(m.data))).toEqual(stored.map(({ recordedAt: _r, ...envelope }) => envelope));

    // The relay's PRODUCER span joins the command's trace, and the message carries it onwards.
    const producers = tracing.spans().filter((s) => s.kind === SpanKind.PRODUCER && s.spanContext().traceId === traceId);
    expect(producers).toHaveLength(3);
    const traced = messages.slice(0, 3).map((m) => m.headers?.get('traceparent'));
    expect(traced.sort()).toEqual(producers.map((s) => `00-${traceId}-${s.spanContext().spanId}-01`).sort());
    expect(messages[3]!.headers?.has('traceparent')).toBe(false);

    const published = await register.getSingleMetric('toolport_relay_published_total')!.get();
    expect(published.values.find((v) => v.labels['schema'] === env.schema)?.value).toBe(5);
    const lag = await register.getSingleMetric('toolport_relay_lag_positions')!.get();
    expect(lag.values.find((v) => v.labels['schema'] === env.schema)?.value).toBe(0);
  });

  it('is woken by NOTIFY at commit, long before its 10 s poll', async () => {
    startRelay({ pollIntervalMs: 10_000 });
    await waitFor('relay leading and caught up', async () => relays[0]!.isLeader() && (await caughtUp()));
    const before = (await env.jsm.streams.info(`${env.instance.toUpperCase()}_PUBLISHER`)).state.last_seq;
    const started = Date.now();
    await appendRevocations(env, ['notify']);
    await waitFor(
      'event on the stream',
      async () => (await env.jsm.streams.info(`${env.instance.toUpperCase()}_PUBLISHER`)).state.last_seq === before + 1,
      2000,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('lets one relay per schema publish; a standby takes over when the leader stops', async () => {
    const first = startRelay();
    await waitFor('first leads', () => first.isLeader());
    const second = startRelay();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(second.isLeader()).toBe(false);
    await first.stop();
    await waitFor('second takes over', () => second.isLeader(), 3000);
    await appendRevocations(env, ['takeover']);
    await waitFor('second publishes', caughtUp);
    await expectStreamMirrorsStore();
  });

  it('reconnects when its database session is killed, and goes on publishing', async () => {
    const logger = recordingLogger();
    const relay = startRelay({ logger, retryDelayMs: 100 });
    await waitFor('leading', () => relay.isLeader());
    const { rows } = await env.pool.query<{ pid: number }>(
      `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = $1`,
      [`test-${env.instance}`],
    );
    expect(rows).toHaveLength(1);
    await env.pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await waitFor('lost the lead', () => !relay.isLeader(), 3000);
    await waitFor('leading again', () => relay.isLeader(), 3000);
    await appendRevocations(env, ['after-reconnect']);
    await waitFor('published after reconnect', caughtUp);
    expect(logger.entries.some((e) => e.level === 'warn' && e.message.includes('database session'))).toBe(true);
  });

  it('after a stop between publish and checkpoint, a restarted relay publishes nothing twice and a projection applies each event once', async () => {
    const runner = new ConsumerRunner({
      kind: 'projection',
      fetchExpiresMs: 1000,
      nc: env.nc,
      instance: env.instance,
      definition: projection,
      pool: env.pool,
      schema: env.schema,
      logger: recordingLogger(),
      handler: async (event, tx, info) => {
        await tx.query(`INSERT INTO ${env.schema}.applied (event_id, stream_sequence) VALUES ($1, $2)`, [event.metadata.eventId, info.streamSequence]);
      },
    });
    runners.push(runner);
    runner.start();
    await waitFor('relay from earlier tests caught up', caughtUp);

    const crashAfterPublish = async (lastPosition: number): Promise<void> => {
      crashedAt.push(lastPosition);
      throw new Error('simulated crash after publish, before checkpoint');
    };
    const crashedAt: number[] = [];
    const checkpointBefore = await checkpoint();
    // Case 1: the stream's tail tells the new relay what it already holds.
    await appendRevocations(env, ['crash-1', 'crash-2', 'crash-3']);
    let crashing = startRelay({ hooks: { afterPublish: crashAfterPublish } });
    await waitFor('published, then crashed', () => crashedAt.length === 1);
    await crashing.stop();
    expect(await checkpoint()).toBe(checkpointBefore);

    // Case 2: something else at the tail hides that; JetStream's Nats-Msg-Id de-duplication catches it.
    await appendRevocations(env, ['crash-4', 'crash-5']);
    crashing = startRelay({ hooks: { afterPublish: crashAfterPublish } });
    await waitFor('published, then crashed again', () => crashedAt.length === 2);
    await crashing.stop();
    await env.js.publish(`${env.instance}.publisher.note.Foreign`, 'not an event envelope');

    const logger = recordingLogger();
    startRelay({ logger });
    await waitFor('restarted relay caught up', caughtUp);
    await expectStreamMirrorsStore();
    // All five were re-sent and JetStream reported each as a duplicate.
    expect(logger.entries.filter((e) => e.message.includes('already held')).map((e) => e.fields)).toEqual([
      expect.objectContaining({ alreadyPublished: 5 }),
    ]);

    const events = await env.store.readAll({ after: 0, limit: 1_000_000 });
    await waitFor('projection applied everything', async () => {
      const { rows } = await env.pool.query(`SELECT count(*)::int AS n FROM ${env.schema}.applied`);
      return rows[0].n >= events.length;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { rows } = await env.pool.query<{ event_id: string; n: number }>(
      `SELECT event_id, count(*)::int AS n FROM ${env.schema}.applied GROUP BY event_id`,
    );
    expect(rows).toHaveLength(events.length);
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });

  it('publishes every event of 20 concurrent writers exactly once, in commit order', async () => {
    startRelay({ pollIntervalMs: 60_000, batchSize: 64 });
    const writers = Array.from({ length: 20 }, async (_, w) => {
      for (let i = 0; i < 25; i++) {
        await env.store.append(`token-w${w}`, [i === 0 ? tokenIssued(`w${w}`) : tokenRevoked(`w${w}-${i}`)], {
          expectedVersion: i,
          context: testContext(),
        });
      }
    });
    await Promise.all(writers);
    await waitFor('relay caught up with 500 new events', caughtUp, 30_000);

    const messages = (await readStream(env, 'publisher')).filter((m) => m.headers?.has(EVENT_TYPE_HEADER));
    const positions = positionsOf(messages);
    expect(new Set(messages.map((m) => m.headers?.get('Nats-Msg-Id'))).size).toBe(messages.length);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    await expectStreamMirrorsStore();
    expect(messages.length).toBeGreaterThanOrEqual(500);
  });
});
