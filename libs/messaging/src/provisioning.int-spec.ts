import { TEST_DATABASE_URL, TEST_NATS_URL, testInstanceName } from '@toolport/testing';
import { openMessagingTestEnv, type MessagingTestEnv, testConsumer, testDefinitions, testStream } from './__fixtures__/messaging-test-env';
import { DEFAULT_PROJECTION_BATCH, provisionJetStream } from './provisioning';

describe('provisionJetStream (real NATS)', () => {
  let env: MessagingTestEnv;

  beforeAll(async () => {
    env = await openMessagingTestEnv(testInstanceName('prov'), { databaseUrl: TEST_DATABASE_URL, natsUrl: TEST_NATS_URL });
  });
  afterAll(async () => {
    await env?.close();
  });

  it('creates streams and durable pull consumers, then leaves them alone when nothing changed', async () => {
    const definitions = testDefinitions([
      testConsumer('catalog-token-revocations', 'halt', { filterSubjects: ['publisher.token.TokenRevoked'] }),
      testConsumer('scanner-work', 'dead-letter', { maxAckPending: 20 }),
    ]);
    const first = await provisionJetStream(env.jsm, env.instance, definitions);
    expect(first.streams.map((s) => [s.name, s.action])).toEqual([
      [`${env.instance.toUpperCase()}_PUBLISHER`, 'created'],
      [`${env.instance.toUpperCase()}_DLQ`, 'created'],
    ]);
    expect(first.consumers.map((c) => [c.name, c.action])).toEqual([
      [`${env.instance}-catalog-token-revocations`, 'created'],
      [`${env.instance}-scanner-work`, 'created'],
    ]);

    const stream = await env.jsm.streams.info(`${env.instance.toUpperCase()}_PUBLISHER`);
    expect(stream.config).toMatchObject({
      subjects: [`${env.instance}.publisher.>`],
      storage: 'file',
      retention: 'limits',
      max_age: 0,
      duplicate_window: 120e9,
      num_replicas: 1,
    });
    const projection = await env.jsm.consumers.info(stream.config.name, `${env.instance}-catalog-token-revocations`);
    expect(projection.config).toMatchObject({
      durable_name: `${env.instance}-catalog-token-revocations`,
      ack_policy: 'explicit',
      deliver_policy: 'all',
      filter_subject: `${env.instance}.publisher.token.TokenRevoked`,
      max_ack_pending: DEFAULT_PROJECTION_BATCH,
      max_deliver: -1,
      ack_wait: 30e9,
    });
    expect(projection.config.deliver_subject).toBeUndefined(); // a pull consumer
    const work = await env.jsm.consumers.info(stream.config.name, `${env.instance}-scanner-work`);
    expect(work.config).toMatchObject({ max_ack_pending: 20, max_deliver: -1, ack_policy: 'explicit' });

    const second = await provisionJetStream(env.jsm, env.instance, definitions);
    expect([...second.streams, ...second.consumers].map((i) => i.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });

  it('updates changed settings in place, keeping messages and consumer positions', async () => {
    const streamNameOnServer = `${env.instance.toUpperCase()}_PUBLISHER`;
    await env.js.publish(`${env.instance}.publisher.token.TokenRevoked`, 'kept');
    const changed = testDefinitions([
      testConsumer('catalog-token-revocations', 'halt', { filterSubjects: ['publisher.token.>'], ackWaitSeconds: 10 }),
      testConsumer('scanner-work', 'dead-letter', { maxAckPending: 50 }),
    ]);
    changed.streams[0] = { ...testStream('publisher'), duplicateWindowSeconds: 60, maxAgeSeconds: 86_400, description: 'publisher events' };

    const report = await provisionJetStream(env.jsm, env.instance, changed);
    expect(report.streams[0]).toMatchObject({ action: 'updated', changed: ['description', 'max_age', 'duplicate_window'] });
    expect(report.streams[1]!.action).toBe('unchanged');
    expect(report.consumers[0]).toMatchObject({ action: 'updated', changed: ['filter_subjects', 'ack_wait'] });
    expect(report.consumers[1]).toMatchObject({ action: 'updated', changed: ['max_ack_pending'] });

    const stream = await env.jsm.streams.info(streamNameOnServer);
    expect(stream.config).toMatchObject({ duplicate_window: 60e9, max_age: 86_400e9, description: 'publisher events' });
    expect(stream.state.messages).toBe(1);
    const projection = await env.jsm.consumers.info(streamNameOnServer, `${env.instance}-catalog-token-revocations`);
    expect(projection.config).toMatchObject({ filter_subject: `${env.instance}.publisher.token.>`, ack_wait: 10e9, max_ack_pending: DEFAULT_PROJECTION_BATCH });
    expect((await env.jsm.consumers.info(streamNameOnServer, `${env.instance}-scanner-work`)).config.max_ack_pending).toBe(50);

    const again = await provisionJetStream(env.jsm, env.instance, changed);
    expect([...again.streams, ...again.consumers].every((i) => i.action === 'unchanged')).toBe(true);
  });

  it('overrides replicas for every stream when asked, and refuses what JetStream cannot change in place', async () => {
    // This single server refuses to create an R3 stream: the override reaches the server.
    const scanner = { streams: [testStream('scanner')], consumers: [] };
    await expect(provisionJetStream(env.jsm, env.instance, scanner, { replicas: 3 })).rejects.toThrow(/replicas > 1 not supported/);
    const memory = testDefinitions();
    memory.streams[1] = { ...testStream('dlq'), storage: 'memory' };
    await expect(provisionJetStream(env.jsm, env.instance, memory)).rejects.toThrow(/storage "file".*cannot change it in place/);
  });
});
