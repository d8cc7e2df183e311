import { TEST_DATABASE_URL, TEST_NATS_URL, testInstanceName } from '@toolport/testing';
import { register } from 'prom-client';
import {
  appendRevocations,
  type MessagingTestEnv,
  openMessagingTestEnv,
  readStream,
  recordingLogger,
  testConsumer,
  testDefinitions,
} from './__fixtures__/messaging-test-env';
import { ConsumerRegistry } from './consumer-registry';
import { ConsumerRunner, type ProjectionHandlerFn, type WorkHandlerFn } from './consumer-runner';
import type { ConsumerDefinition } from './definitions';
import { decodeEventMessage } from './envelope-codec';
import { messagingReadiness } from './messaging-readiness';
import { OrderedPublisher } from './ordered-publisher';
import { readCheckpoint } from './projection-checkpoint';
import { provisionJetStream } from './provisioning';

const definitions = {
  work: testConsumer('scanner-dlq-check', 'dead-letter', { maxDeliver: 3, backoffSeconds: [0.4] }),
  resume: testConsumer('catalog-resume-check', 'halt', { maxDeliver: 3, backoffSeconds: [0.02] }),
  skip: testConsumer('catalog-skip-check', 'halt', { maxDeliver: 2, backoffSeconds: [0.02] }),
  restart: testConsumer('audit-restart-check', 'halt'),
};

describe('ConsumerRunner (real Postgres and NATS)', () => {
  let env: MessagingTestEnv;
  const runners: ConsumerRunner[] = [];

  beforeAll(async () => {
    env = await openMessagingTestEnv(testInstanceName('runner'), { databaseUrl: TEST_DATABASE_URL, natsUrl: TEST_NATS_URL });
    await provisionJetStream(env.jsm, env.instance, testDefinitions(Object.values(definitions)));
    await env.pool.query(
      `CREATE TABLE ${env.schema}.applied (n serial PRIMARY KEY, consumer text NOT NULL, token_id text NOT NULL, stream_sequence bigint NOT NULL)`,
    );
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await env?.close();
  });

  /** Appends revocations and publishes them straight away (the relay has its own tests). */
  async function publish(tokenIds: string[]): Promise<void> {
    await new OrderedPublisher(env.js, env.instance, env.registry).publish(await appendRevocations(env, tokenIds));
  }

  const tokenOf = (event: { data: unknown }): string => (event.data as { tokenId: string }).tokenId;

  function projection(definition: ConsumerDefinition, fails: (tokenId: string) => boolean, logger = recordingLogger()): ConsumerRunner {
    const handler: ProjectionHandlerFn = async (event, tx, info) => {
      await tx.query(`INSERT INTO ${env.schema}.applied (consumer, token_id, stream_sequence) VALUES ($1, $2, $3)`, [
        definition.name,
        tokenOf(event),
        info.streamSequence,
      ]);
      // Fails after writing: the rollback must undo the write.
      if (fails(tokenOf(event))) throw new Error(`cannot apply ${tokenOf(event)}`);
    };
    const runner = new ConsumerRunner({ kind: 'projection', fetchExpiresMs: 1000, nc: env.nc, instance: env.instance, definition, pool: env.pool, schema: env.schema, handler, logger });
    runners.push(runner);
    runner.start();
    return runner;
  }

  /**
   * Token ids a consumer applied, in order, limited to one test's tokens (`<prefix>-...`): every
   * consumer here reads the whole stream, so it also sees the other tests' events.
   */
  async function applied(consumer: string, prefix: string): Promise<string[]> {
    const { rows } = await env.pool.query<{ token_id: string }>(
      `SELECT token_id FROM ${env.schema}.applied WHERE consumer = $1 AND token_id LIKE $2 ORDER BY n`,
      [consumer, `${prefix}-%`],
    );
    return rows.map((r) => r.token_id);
  }

  async function waitUntil(description: string, predicate: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function haltedGauge(durable: string): Promise<number | undefined> {
    const metric = await register.getSingleMetric('toolport_consumer_halted')!.get();
    return metric.values.find((v) => v.labels['consumer'] === durable)?.value;
  }

  it('dead-letters a message that keeps failing after maxDeliver attempts while the messages behind it keep flowing', async () => {
    const attempts = new Map<string, number>();
    const seenWhile: number[] = [];
    const handler: WorkHandlerFn = async (event, info) => {
      const token = tokenOf(event);
      attempts.set(token, info.attempt);
      if (token === 'w-poison') throw new Error('scanner exploded\non two lines');
      seenWhile.push(attempts.get('w-poison') ?? 0);
    };
    const logger = recordingLogger();
    const runner = new ConsumerRunner({ kind: 'work', fetchExpiresMs: 1000, nc: env.nc, instance: env.instance, definition: definitions.work, handler, logger });
    runners.push(runner);
    runner.start();
    await publish(['w-1', 'w-poison', 'w-2', 'w-3']);

    await waitUntil('the poison message on the DLQ stream', async () => (await readStream(env, 'dlq')).length === 1);
    const [dead] = await readStream(env, 'dlq');
    expect(dead!.subject).toBe(`${env.instance}.dlq.scanner-dlq-check`);
    expect(decodeEventMessage(dead!.data).data).toMatchObject({ tokenId: 'w-poison' });
    expect(dead!.headers?.get('Toolport-Failure-Reason')).toBe('scanner exploded on two lines');
    expect(dead!.headers?.get('Toolport-Original-Subject')).toBe(`${env.instance}.publisher.token.TokenRevoked`);
    expect(dead!.headers?.get('Toolport-Deliveries')).toBe('3');
    expect(dead!.headers?.get('Toolport-Event-Type')).toBe('TokenRevoked');
    expect(attempts.get('w-poison')).toBe(3);
    // The others were handled while the poison message was still being retried (backoff 0.4 s).
    expect(seenWhile).toHaveLength(3);
    expect(Math.max(...seenWhile)).toBeLessThan(3);
    expect(logger.entries.filter((e) => e.level === 'error').map((e) => e.message)).toEqual([
      'message moved to the dead-letter subject after its last attempt',
    ]);
    // Terminated: no longer pending on the consumer.
    await waitUntil('nothing pending', async () => {
      const info = await env.jsm.consumers.info(`${env.instance.toUpperCase()}_PUBLISHER`, runner.durable);
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });
    expect(runner.status()).toEqual({ consumer: 'scanner-dlq-check', durable: runner.durable, kind: 'work', state: 'running' });
  });

  it('halts a projection on a failing message, reports it, applies nothing behind it, and resumes once fixed', async () => {
    let broken = true;
    const logger = recordingLogger();
    const runner = projection(definitions.resume, (token) => broken && token === 'r-poison', logger);
    const registry = new ConsumerRegistry();
    registry.add(runner);
    const before = await readCheckpoint(env.pool, env.schema, definitions.resume.name);
    await publish(['r-1', 'r-poison', 'r-2', 'r-3']);

    await waitUntil('halted', () => runner.status().state === 'halted');
    const status = runner.status();
    expect(status.halted).toMatchObject({ subject: `${env.instance}.publisher.token.TokenRevoked`, eventType: 'TokenRevoked', deliveries: 3 });
    expect(status.halted!.error).toBe('cannot apply r-poison');
    expect(await haltedGauge(runner.durable)).toBe(1);
    const halt = logger.entries.find((e) => e.level === 'error');
    expect(halt?.message).toMatch(/projection halted/);
    expect(halt?.fields).toMatchObject({ consumer: 'catalog-resume-check', eventId: status.halted!.eventId });
    const readiness = await messagingReadiness(env.nc, registry);
    expect(readiness.ok).toBe(false);
    expect(readiness.detail).toContain(`catalog-resume-check halted at stream sequence ${status.halted!.streamSequence}`);

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await applied('catalog-resume-check', 'r')).toEqual(['r-1']);
    expect(await readCheckpoint(env.pool, env.schema, definitions.resume.name)).toBe(status.halted!.streamSequence - 1);
    expect(before).toBeLessThan(status.halted!.streamSequence);

    broken = false;
    // Two operators pressing "resume" at once start one loop, not two.
    const results = await Promise.allSettled([registry.resume('catalog-resume-check'), registry.resume('catalog-resume-check')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    await waitUntil('all applied', async () => (await applied('catalog-resume-check', 'r')).length === 4);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await applied('catalog-resume-check', 'r')).toEqual(['r-1', 'r-poison', 'r-2', 'r-3']);
    expect(runner.status()).toEqual({ consumer: 'catalog-resume-check', durable: runner.durable, kind: 'projection', state: 'running' });
    expect(await haltedGauge(runner.durable)).toBe(0);
    expect((await messagingReadiness(env.nc, registry)).ok).toBe(true);
  });

  it('resume() gives the halted message a fresh attempt count, and halts again if it still fails', async () => {
    const runner = projection(definitions.skip, (token) => token === 's-poison');
    await publish(['s-1', 's-poison', 's-2']);
    await waitUntil('halted', () => runner.status().state === 'halted');
    const firstHalt = runner.status().halted!;
    expect(firstHalt.deliveries).toBe(2);

    await runner.resume();
    await waitUntil('halted again', () => runner.status().state === 'halted');
    expect(runner.status().halted).toMatchObject({ streamSequence: firstHalt.streamSequence, deliveries: 4 });
    expect(await applied('catalog-skip-check', 's')).toEqual(['s-1']);
  });

  it('skip() moves the checkpoint past the halted message, acknowledges it, logs it and applies the rest exactly once', async () => {
    // Continues the previous test: stopping released s-poison, so this runner halts on it again.
    const logger = recordingLogger();
    const runner = projection(definitions.skip, (token) => token === 's-poison', logger);
    await waitUntil('halted on restart', () => runner.status().state === 'halted');
    const halted = runner.status().halted!;
    await publish(['s-3']);

    // The admin action is recorded before it takes effect: a record that fails means no skip.
    await expect(runner.skip(async () => Promise.reject(new Error('event store down')))).rejects.toThrow('event store down');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runner.status()).toMatchObject({ state: 'halted', halted: { streamSequence: halted.streamSequence } });
    expect(await applied('catalog-skip-check', 's')).toEqual(['s-1']);

    const recorded: Array<[unknown, string]> = [];
    await runner.skip(async (info, stream) => {
      recorded.push([info, stream]);
      expect(await applied('catalog-skip-check', 's')).toEqual(['s-1']); // before anything moves
    });
    expect(recorded).toEqual([[halted, 'publisher']]);
    await waitUntil('the rest applied', async () => (await applied('catalog-skip-check', 's')).length === 3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await applied('catalog-skip-check', 's')).toEqual(['s-1', 's-2', 's-3']);
    const skipped = logger.entries.find((e) => e.level === 'warn' && e.message.includes('skipped'));
    expect(skipped?.fields).toMatchObject({ eventId: halted.eventId, streamSequence: halted.streamSequence });
    expect(runner.status().state).toBe('running');
    await waitUntil('nothing pending', async () => {
      const info = await env.jsm.consumers.info(`${env.instance.toUpperCase()}_PUBLISHER`, runner.durable);
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });
  });

  it('a runner stopped mid-stream finishes its message and stalls nothing; a new one on the same durable applies each event exactly once', async () => {
    const tokens = Array.from({ length: 40 }, (_, i) => `f-${i}`);
    await publish(tokens);
    const slow = (): ConsumerRunner => {
      const handler: ProjectionHandlerFn = async (event, tx, info) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        await tx.query(`INSERT INTO ${env.schema}.applied (consumer, token_id, stream_sequence) VALUES ($1, $2, $3)`, [
          'audit-restart-check',
          tokenOf(event),
          info.streamSequence,
        ]);
      };
      const runner = new ConsumerRunner({ kind: 'projection', fetchExpiresMs: 1000, nc: env.nc, instance: env.instance, definition: definitions.restart, pool: env.pool, schema: env.schema, handler, logger: recordingLogger() });
      runners.push(runner);
      runner.start();
      return runner;
    };

    // Three stops at arbitrary points: each successor must go on within moments, not after the
    // 30 s ack wait a message lost by the stop would cost (the waits below give up after 10 s).
    for (const target of [8, 16, 24]) {
      const runner = slow();
      await waitUntil(`${target} applied`, async () => (await applied('audit-restart-check', 'f')).length >= target);
      await runner.stop();
      expect(runner.status().state).toBe('stopped');
      const atStop = await applied('audit-restart-check', 'f');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await applied('audit-restart-check', 'f')).toEqual(atStop);
    }
    slow();
    await waitUntil('all applied', async () => (await applied('audit-restart-check', 'f')).length >= 40);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await applied('audit-restart-check', 'f')).toEqual(tokens);
    const { rows } = await env.pool.query(
      `SELECT count(*)::int AS total, count(DISTINCT token_id)::int AS distinct FROM ${env.schema}.applied WHERE consumer = 'audit-restart-check'`,
    );
    expect(rows[0].total).toBe(rows[0].distinct);
  });
});
