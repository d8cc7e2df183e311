import { TEST_DATABASE_URL, TEST_NATS_URL, testInstanceName } from '@toolport/testing';
import { appendRevocations, type MessagingTestEnv, openMessagingTestEnv, recordingLogger, testConsumer, testDefinitions, waitFor } from './__fixtures__/messaging-test-env';
import { ConsumerRunner, type ProjectionHandlerFn } from './consumer-runner';
import { OrderedPublisher } from './ordered-publisher';
import { readCheckpoint } from './projection-checkpoint';
import { provisionJetStream } from './provisioning';

jest.setTimeout(120_000);

// Two replicas of a service run the same projection on one durable from the start: JetStream
// spreads the outstanding batch over both, so one is regularly handed messages while the other
// still holds earlier ones. Each must still be applied exactly once, in stream order, without a stall.
const definition = testConsumer('audit-replicas-check', 'halt', { backoffSeconds: [0.05] });

describe('ConsumerRunner: two replicas on one durable projection consumer (real Postgres and NATS)', () => {
  let env: MessagingTestEnv;
  const runners: ConsumerRunner[] = [];

  beforeAll(async () => {
    env = await openMessagingTestEnv(testInstanceName('replicas'), { databaseUrl: TEST_DATABASE_URL, natsUrl: TEST_NATS_URL });
    await provisionJetStream(env.jsm, env.instance, testDefinitions([definition]));
    await env.pool.query(`CREATE TABLE ${env.schema}.applied (n serial PRIMARY KEY, token_id text NOT NULL, stream_sequence bigint NOT NULL)`);
  });
  afterAll(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await env?.close();
  });

  it('applies a few hundred events published while both run exactly once, in order, and leaves nothing pending', async () => {
    const loggers = [recordingLogger(), recordingLogger()];
    for (const logger of loggers) {
      const handler: ProjectionHandlerFn = async (event, tx, info) => {
        // A little work per event, like a real projection, so groups overlap between the replicas.
        await new Promise((resolve) => setTimeout(resolve, 2));
        await tx.query(`INSERT INTO ${env.schema}.applied (token_id, stream_sequence) VALUES ($1, $2)`, [(event.data as { tokenId: string }).tokenId, info.streamSequence]);
      };
      const runner = new ConsumerRunner({ kind: 'projection', fetchExpiresMs: 1000, nc: env.nc, instance: env.instance, definition, pool: env.pool, schema: env.schema, handler, logger });
      runners.push(runner);
      runner.start();
    }

    const publisher = new OrderedPublisher(env.js, env.instance, env.registry);
    const tokens = Array.from({ length: 300 }, (_, i) => `t-${i}`);
    for (let i = 0; i < tokens.length; i += 20) await publisher.publish(await appendRevocations(env, tokens.slice(i, i + 20)));

    const applied = async (): Promise<{ token_id: string; stream_sequence: string }[]> =>
      (await env.pool.query<{ token_id: string; stream_sequence: string }>(`SELECT token_id, stream_sequence FROM ${env.schema}.applied ORDER BY n`)).rows;
    await waitFor('every event applied', async () => (await applied()).length >= tokens.length, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rows = await applied();
    expect(rows.map((r) => r.token_id)).toEqual(tokens);
    const sequences = rows.map((r) => Number(r.stream_sequence));
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(await readCheckpoint(env.pool, env.schema, definition.name)).toBe(sequences[sequences.length - 1]);
    await waitFor('nothing pending on the durable', async () => {
      const info = await env.jsm.consumers.info(`${env.instance.toUpperCase()}_PUBLISHER`, runners[0]!.durable);
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });
    for (const runner of runners) expect(runner.status().state).toBe('running');
    // A pull that missed its heartbeats while the machine was loaded is retried by design; it is
    // not what this test is about. Every other warning or error is.
    const missedHeartbeats = (e: { fields: object }): boolean => (e.fields as { error?: unknown }).error === 'heartbeats missed';
    for (const logger of loggers) expect(logger.entries.filter((e) => (e.level === 'error' || e.level === 'warn') && !missedHeartbeats(e))).toEqual([]);
  });
});
