import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTelemetry } from './telemetry';
import { createTestTracing } from './test-tracing';
import { currentTraceparent, withSpan } from './trace-context';

describe('startTelemetry', () => {
  it('exports spans to the given exporter, propagates W3C context, registers once and shuts down fast', async () => {
    const first = new InMemorySpanExporter();
    const handle = startTelemetry({ serviceName: 'spec-service', spanExporter: first, instrumentHttp: false });

    const traceparent = await withSpan('work', {}, async () => currentTraceparent());
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await handle.forceFlush();
    expect(first.getFinishedSpans().map((span) => span.name)).toEqual(['work']);
    expect(first.getFinishedSpans()[0]!.resource.attributes['service.name']).toBe('spec-service');

    // A second start (another service in the same process) gets the running handle and adds its exporter.
    const provider = trace.getTracerProvider();
    const second = new InMemorySpanExporter();
    const again = startTelemetry({ serviceName: 'other', spanExporter: second });
    expect(trace.getTracerProvider()).toBe(provider);
    await withSpan('more', {}, async () => undefined);
    await again.forceFlush();
    expect(second.getFinishedSpans().map((span) => span.name)).toEqual(['more']);
    expect(first.getFinishedSpans()).toHaveLength(2);
    expect(second.getFinishedSpans()[0]!.resource.attributes['service.name']).toBe('spec-service');

    // Test tracing attaches to the running SDK rather than fighting it for the globals.
    const tracing = createTestTracing();
    await withSpan('tested', {}, async () => undefined);
    await handle.forceFlush();
    expect(tracing.spans().map((span) => span.name)).toEqual(['tested']);
    await tracing.shutdown();

    const started = Date.now();
    await again.shutdown();
    await handle.shutdown();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(currentTraceparent()).toBeNull();
    await withSpan('after', {}, async () => undefined);
    expect(first.getFinishedSpans().map((span) => span.name)).not.toContain('after');

    // After shutdown a new start registers afresh.
    const third = new InMemorySpanExporter();
    const restarted = startTelemetry({ serviceName: 'restarted', spanExporter: third, instrumentHttp: false });
    await withSpan('again', {}, async () => undefined);
    await restarted.forceFlush();
    expect(third.getFinishedSpans().map((span) => span.resource.attributes['service.name'])).toEqual(['restarted']);
    await restarted.shutdown();
  });
});
