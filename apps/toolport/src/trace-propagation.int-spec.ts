import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createJobQueue, createJobWorker, type BullJobQueue, type JobWorker } from '@toolport/jobs';
import { type ConsumedEvent, ConsumerRunner, type ConsumerDefinition, loadMessagingDefinitions, provisionJetStream } from '@toolport/messaging';
import { createTestTracing, currentTraceparent, type TestTracing } from '@toolport/observability';
import { buildService } from '@toolport/platform';
import { publisherService } from '@toolport/publisher';
import { destroyInstance, eventually, TEST_ADMIN_KEY, TEST_NATS_URL, TEST_REDIS_URL, testEnv, testInstanceName } from '@toolport/testing';

// Issue test 6: one trace spans an HTTP request, the event it appends, a JetStream consumer and
// the BullMQ job that consumer enqueues (in-memory span exporter, real NATS and Redis).
const instance = testInstanceName('trace');
let tracing: TestTracing;
let publisher: NestFastifyApplication;
let nc: NatsConnection;
let runner: ConsumerRunner;
let queue: BullJobQueue<{ tokenId: string }>;
let worker: JobWorker;
const jobsSeen: Array<{ tokenId: string; traceparent: string | null }> = [];
const eventsSeen: ConsumedEvent[] = [];

const probe: ConsumerDefinition = {
  name: 'audit-trace-probe',
  stream: 'publisher',
  filterSubjects: ['publisher.token.TokenIssued'],
  policy: 'dead-letter',
  maxDeliver: 3,
  ackWaitSeconds: 10,
  backoffSeconds: [0.1],
};

beforeAll(async () => {
  tracing = createTestTracing();
  const env = testEnv(instance);
  publisher = (await buildService(publisherService, publisherService.loadConfig(env))).app;

  nc = await connect({ servers: TEST_NATS_URL });
  const definitions = await loadMessagingDefinitions();
  await provisionJetStream(await jetstreamManager(nc), instance, { ...definitions, consumers: [probe] });

  queue = createJobQueue({ connection: TEST_REDIS_URL, instance, queueName: 'trace-probe', defaults: { attempts: 1, backoff: { type: 'exponential', delayMs: 10 } } });
  worker = createJobWorker<{ tokenId: string }, void>({
    connection: TEST_REDIS_URL,
    instance,
    queueName: 'trace-probe',
    handler: async (job) => {
      jobsSeen.push({ tokenId: job.data.tokenId, traceparent: currentTraceparent() });
    },
  });
  await worker.ready();
  runner = new ConsumerRunner({
    kind: 'work',
    nc,
    instance,
    definition: probe,
    handler: async (event) => {
      eventsSeen.push(event);
      await queue.add('follow-up', { tokenId: (event.data as { tokenId: string }).tokenId }, { jobId: `token-${(event.data as { tokenId: string }).tokenId}` });
    },
  });
  runner.start();
}, 60_000);

afterAll(async () => {
  await runner?.stop();
  await worker?.close();
  await queue?.close();
  await publisher?.close();
  await nc?.close();
  await tracing?.shutdown();
  await destroyInstance(instance);
});

const traceIdOf = (traceparent: string | null | undefined) => traceparent?.split('-')[1];

it('follows one trace from the HTTP request through the event and consumer to the job', async () => {
  const callerTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const response = await publisher.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, traceparent: `00-${callerTraceId}-00f067aa0ba902b7-01` },
    payload: { subject: 'traced-robot', roles: ['reader'] },
  });
  expect(response.statusCode).toBe(201);
  const { id } = response.json<{ id: string }>();

  const job = await eventually(async () => jobsSeen.find((j) => j.tokenId === id), { what: 'the follow-up job' });
  const event = eventsSeen.find((e) => (e.data as { tokenId: string }).tokenId === id)!;

  // The caller's trace id is carried by the event's metadata, the consumer and the job.
  expect(traceIdOf(event.metadata.traceparent)).toBe(callerTraceId);
  expect(traceIdOf(job.traceparent)).toBe(callerTraceId);

  const spans = await eventually(async () => {
    const all = tracing.spans().filter((s) => s.spanContext().traceId === callerTraceId);
    const names = all.map((s) => s.name);
    return names.some((n) => n.startsWith('HTTP POST')) && names.some((n) => n.startsWith('job ')) && all.length >= 3 ? all : undefined;
  }, { what: 'the spans of the trace' });
  const names = spans.map((s) => s.name);
  expect(names).toEqual(expect.arrayContaining(['HTTP POST /api/v1/tokens', 'job trace-probe/follow-up']));
  expect(names.some((n) => /consume|audit-trace-probe/.test(n))).toBe(true);
});
