import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import {
  currentTracingRegistration,
  disableApiGlobals,
  setTracingRegistration,
  SpanProcessorSet,
  type TracingRegistration,
} from './tracing-registration';

export interface TestTracing {
  exporter: InMemorySpanExporter;
  /** Spans finished so far (SimpleSpanProcessor: a span is here as soon as it ends). */
  spans(): ReadableSpan[];
  reset(): void;
  /** Detaches this exporter; the last one out unregisters the tracing it registered. */
  shutdown(): Promise<void>;
}

/**
 * In-process tracing for tests: a BasicTracerProvider, the AsyncLocalStorage context manager (so
 * the active span follows awaits) and the W3C propagator, registered on the OpenTelemetry API.
 * When tracing already runs (startTelemetry, or an earlier createTestTracing in the same file),
 * the exporter is attached to it instead, since the API accepts only one registration.
 */
export function createTestTracing(): TestTracing {
  const registration = currentTracingRegistration() ?? registerTestTracing();
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor(exporter);
  registration.processors.add(processor);

  let stopped: Promise<void> | undefined;
  return {
    exporter,
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    shutdown: () =>
      (stopped ??= (async () => {
        await registration.processors.remove(processor);
        if (registration.owner === 'test' && registration.processors.size === 0) await registration.shutdown();
      })()),
  };
}

function registerTestTracing(): TracingRegistration {
  const processors = new SpanProcessorSet();
  const provider = new BasicTracerProvider({ spanProcessors: [processors] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(provider);

  const registration: TracingRegistration = {
    owner: 'test',
    processors,
    shutdown: async () => {
      try {
        await provider.shutdown();
      } finally {
        disableApiGlobals();
        if (currentTracingRegistration() === registration) setTracingRegistration(undefined);
      }
    },
  };
  setTracingRegistration(registration);
  return registration;
}
