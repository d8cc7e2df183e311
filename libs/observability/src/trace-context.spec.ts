import { trace } from '@opentelemetry/api';
import { contextFromTraceparent, currentTraceparent, SpanKind, withSpan } from './trace-context';
import { createTestTracing, type TestTracing } from './test-tracing';

describe('trace context across a process boundary', () => {
  let tracing: TestTracing;
  beforeAll(() => {
    tracing = createTestTracing();
  });
  afterEach(() => tracing.reset());
  afterAll(() => tracing.shutdown());

  it('has no traceparent outside a span', () => {
    expect(currentTraceparent()).toBeNull();
  });

  it('continues the producer trace in a consumer that only got the traceparent string', async () => {
    const traceparent = await withSpan('publish', { kind: SpanKind.PRODUCER }, async () => currentTraceparent());
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    // The consumer runs later, outside the producer's async context, as a job worker would.
    await new Promise((resolve) => setTimeout(resolve, 1));
    await withSpan('consume', { parent: traceparent, kind: SpanKind.CONSUMER }, async () => undefined);

    const [producer, consumer] = tracing.spans();
    expect(consumer!.spanContext().traceId).toBe(producer!.spanContext().traceId);
    expect(consumer!.parentSpanContext?.spanId).toBe(producer!.spanContext().spanId);
    expect(consumer!.kind).toBe(SpanKind.CONSUMER);
  });

  it('without a traceparent starts from the active context (here none: a new trace) and records a failure', async () => {
    await expect(withSpan('fails', { parent: null }, async () => Promise.reject(new Error('nope')))).rejects.toThrow('nope');
    const [span] = tracing.spans();
    expect(span!.status.code).toBe(2);
    expect(span!.parentSpanContext).toBeUndefined();
  });

  it('extracts a traceparent into a context usable with the OpenTelemetry API', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const spanContext = trace.getSpanContext(contextFromTraceparent(traceparent));
    expect(spanContext).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', isRemote: true });
  });
});
