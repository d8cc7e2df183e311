import { SERVICE_NAMES } from '@toolport/contracts';
import { backoffMs } from './consumer-runner';
import { MessagingDefinitionsError, parseMessagingDefinitions, subjectCovers } from './definitions';
import { consumerConfig, DEFAULT_NATS_DEFINITIONS_DIR, DEFAULT_PROJECTION_BATCH, loadMessagingDefinitions, streamConfig } from './provisioning';

const stream = {
  name: 'publisher',
  subjects: ['publisher.>'],
  storage: 'file',
  retention: 'limits',
  maxAgeSeconds: 0,
  duplicateWindowSeconds: 120,
  replicas: 1,
};
const consumer = {
  name: 'catalog-read-model',
  stream: 'publisher',
  filterSubjects: ['publisher.server.>'],
  policy: 'halt',
  maxDeliver: 5,
  ackWaitSeconds: 30,
  backoffSeconds: [1, 5, 15],
};

function issuesOf(streams: unknown, consumers: unknown): string[] {
  try {
    parseMessagingDefinitions(streams, consumers);
  } catch (error) {
    if (error instanceof MessagingDefinitionsError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('messaging definitions', () => {
  it('loads the repository files: a stream per event-owning service, a DLQ, a revocation consumer per service', async () => {
    const definitions = await loadMessagingDefinitions(DEFAULT_NATS_DEFINITIONS_DIR);
    expect(definitions.streams.map((s) => s.name)).toEqual(['publisher', 'scanner', 'health', 'catalog', 'audit', 'dlq']);
    for (const s of definitions.streams) {
      expect(s).toMatchObject({ storage: 'file', retention: 'limits', maxAgeSeconds: 0, subjects: [`${s.name}.>`] });
    }
    const revocations = definitions.consumers.filter((c) => c.name.endsWith('-token-revocations'));
    expect(revocations.map((c) => c.name.split('-')[0]).sort()).toEqual([...SERVICE_NAMES].sort());
    for (const c of revocations) expect(c).toMatchObject({ policy: 'halt', stream: 'publisher', filterSubjects: ['publisher.token.TokenRevoked'] });
  });

  it('accepts a valid pair of documents', () => {
    expect(issuesOf({ streams: [stream] }, { consumers: [consumer] })).toEqual([]);
  });

  it('reports schema faults with their paths', () => {
    const issues = issuesOf(
      { streams: [{ ...stream, name: 'billing', storage: 'tape' }] },
      { consumers: [{ ...consumer, name: 'Catalog_ReadModel', policy: 'drop', extra: 1 }] },
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^streams.json streams\[0\]\.name/),
        expect.stringMatching(/^streams.json streams\[0\]\.storage/),
        expect.stringMatching(/^consumers.json consumers\[0\]\.name/),
        expect.stringMatching(/^consumers.json consumers\[0\]\.policy/),
        'consumers.json consumers[0].extra: is not allowed here',
      ]),
    );
  });

  it('rejects duplicate names, unknown streams and filters outside the stream', () => {
    const issues = issuesOf(
      { streams: [stream, stream] },
      {
        consumers: [
          consumer,
          consumer,
          { ...consumer, name: 'catalog-health', stream: 'health' },
          { ...consumer, name: 'catalog-other', filterSubjects: ['scanner.>'] },
        ],
      },
    );
    expect(issues).toEqual([
      'streams[1].name: stream "publisher" is defined twice',
      'consumers[1].name: consumer "catalog-read-model" is defined twice',
      'consumers[2].stream: no stream named "health"',
      'consumers[3].filterSubjects[0]: "scanner.>" is outside stream "publisher" (publisher.>)',
    ]);
  });

  it.each([
    ['publisher.>', 'publisher.token.TokenRevoked', true],
    ['publisher.>', 'publisher.>', true],
    ['publisher.>', 'publisher', false],
    ['publisher.*.x', 'publisher.token.x', true],
    ['publisher.*.x', 'publisher.*.x', true],
    ['publisher.token.x', 'publisher.*.x', false],
    ['publisher.*', 'publisher.token.x', false],
    ['publisher.token', 'publisher.>', false],
  ])('subjectCovers(%s, %s) is %s', (pattern, filter, expected) => {
    expect(subjectCovers(pattern, filter)).toBe(expected);
  });

  it('prefixes names and subjects with the instance and fixes the consumer settings by policy', () => {
    const definitions = parseMessagingDefinitions(
      { streams: [stream] },
      { consumers: [consumer, { ...consumer, name: 'scanner-scan', policy: 'dead-letter' }, { ...consumer, name: 'catalog-one-by-one', maxAckPending: 1 }] },
    );
    expect(streamConfig('dev', definitions.streams[0]!, 3)).toMatchObject({
      name: 'DEV_PUBLISHER',
      subjects: ['dev.publisher.>'],
      num_replicas: 3,
      max_age: 0,
      duplicate_window: 120_000_000_000,
    });
    expect(consumerConfig('dev', definitions.consumers[0]!)).toMatchObject({
      durable_name: 'dev-catalog-read-model',
      filter_subject: 'dev.publisher.server.>',
      max_ack_pending: DEFAULT_PROJECTION_BATCH,
      max_deliver: -1,
      ack_wait: 30_000_000_000,
    });
    expect(consumerConfig('dev', definitions.consumers[1]!)).toMatchObject({ max_ack_pending: 64, max_deliver: -1 });
    expect(consumerConfig('dev', definitions.consumers[2]!)).toMatchObject({ max_ack_pending: 1 });
  });

  it('backs off per attempt, repeating the last delay', () => {
    expect([1, 2, 3, 4, 9].map((attempt) => backoffMs([1, 5, 15], attempt))).toEqual([1000, 5000, 15000, 15000, 15000]);
    expect(backoffMs([], 3)).toBe(0);
  });
});
