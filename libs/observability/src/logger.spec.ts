import { withSpan } from './trace-context';
import { createLogger, REDACTED } from './logger';
import { createTestTracing, type TestTracing } from './test-tracing';

function collect(): { lines: Record<string, unknown>[]; destination: { write(line: string): void } } {
  const lines: Record<string, unknown>[] = [];
  return { lines, destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } };
}

describe('createLogger', () => {
  let tracing: TestTracing;
  beforeAll(() => {
    tracing = createTestTracing();
  });
  afterAll(() => tracing.shutdown());

  it('writes one JSON object per line with service, level and time, and no trace ids outside a span', () => {
    const { lines, destination } = collect();
    createLogger({ service: 'catalog', destination }).info({ serverName: 'io.example/x' }, 'indexed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ service: 'catalog', level: 'info', msg: 'indexed', serverName: 'io.example/x' });
    expect(new Date(lines[0]!['time'] as string).toISOString()).toBe(lines[0]!['time']);
    expect(lines[0]).not.toHaveProperty('trace_id');
  });

  it('carries the trace and span id of the active span', async () => {
    const { lines, destination } = collect();
    const logger = createLogger({ service: 'scanner', destination });
    const ids = await withSpan('scan', {}, async (span) => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.warn('inside');
      return span.spanContext();
    });
    expect(lines[0]).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId, msg: 'inside' });
    expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('respects the level', () => {
    const { lines, destination } = collect();
    const logger = createLogger({ service: 'audit', level: 'warn', destination });
    logger.info('dropped');
    logger.error('kept');
    expect(lines.map((line) => line['msg'])).toEqual(['kept']);
  });

  it('redacts secrets at the top level and nested, whatever object they arrive in', () => {
    const { lines, destination } = collect();
    const logger = createLogger({ service: 'publisher', destination });
    logger.info(
      {
        authorization: 'Bearer top-level',
        registry_token: 'npm_registry_secret',
        req: { headers: { authorization: 'Bearer nested', 'set-cookie': 'sid=cookie-secret', host: 'x' } },
        user: { name: 'ana', password: 'hunter2', token: 'tok-secret' },
        key: { privateKey: 'PEM-secret', kid: 'k1' },
        err: { config: { headers: { Authorization: 'Bearer axios-secret' } } },
      },
      'login',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['top-level', 'npm_registry_secret', 'nested', 'cookie-secret', 'hunter2', 'tok-secret', 'PEM-secret', 'axios-secret']) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({
      authorization: REDACTED,
      registry_token: REDACTED,
      req: { headers: { authorization: REDACTED, host: 'x' } },
      user: { name: 'ana', password: REDACTED, token: REDACTED },
      key: { privateKey: REDACTED, kid: 'k1' },
    });
  });
});
