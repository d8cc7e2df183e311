import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  currentTracingRegistration,
  disableApiGlobals,
  setTracingRegistration,
  SpanProcessorSet,
  type TracingRegistration,
} from './tracing-registration';

export interface TelemetryOptions {
  /** `service.name` of every span; the first call in a process wins (see startTelemetry). */
  serviceName: string;
  /** OTLP/HTTP collector base URL (e.g. http://127.0.0.1:4318); spans go to `<url>/v1/traces`. */
  otlpEndpoint?: string;
  /** Extra exporter behind a SimpleSpanProcessor (tests pass an InMemorySpanExporter). */
  spanExporter?: SpanExporter;
  /** Server and client spans for Node's http module (default true). */
  instrumentHttp?: boolean;
}

export interface TelemetryHandle {
  /** Attaches another exporter to the running tracing (SimpleSpanProcessor: exported on span end). */
  addSpanExporter(exporter: SpanExporter): void;
  /** Exports every ended span now (resource detection can delay SimpleSpanProcessor's export). */
  forceFlush(): Promise<void>;
  /** Flushes and stops tracing, and clears the API globals so a later start begins afresh. Idempotent. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing for this process. Call it FIRST in `apps/<service>/src/main.ts`,
 * before Nest or Fastify is imported: the http instrumentation patches `http`'s functions when it
 * is enabled, so a module that captured them earlier (e.g. `const { request } = require('http')`)
 * bypasses it, and spans started before this call go to a no-op tracer.
 *
 * - Spans always get recorded (trace ids reach logs, job data and NATS headers) even without an
 *   exporter; they are exported over OTLP/HTTP only when `otlpEndpoint` is given.
 * - No metrics exporter and no log exporter: the SDK's default OTLP metrics exporter stalls
 *   shutdown ~8 s when no collector runs (STACK.md); metrics are Prometheus pull (metrics.ts).
 * - The W3C trace-context (and baggage) propagator is set explicitly, so trace-context.ts's
 *   inject/extract work whatever OTEL_PROPAGATORS says.
 * - Idempotent: the all-in-one launcher starts five services in one process and test files may
 *   call it repeatedly. A second call registers nothing; it returns the running handle and attaches
 *   its `spanExporter`, if any. The first call's serviceName and endpoint stay in force.
 */
export function startTelemetry(options: TelemetryOptions): TelemetryHandle {
  const running = currentTracingRegistration();
  if (running) {
    const handle = handleFor(running);
    if (options.spanExporter) handle.addSpanExporter(options.spanExporter);
    return handle;
  }

  // Without anywhere to send spans, recording them only costs: on the catalog's read path the
  // HTTP instrumentation plus span recording cut /healthz from ~7,400 to ~2,200 req/s (autocannon,
  // 64 connections, this 2-core machine). Spans are then not sampled; trace context still
  // propagates (the SDK still makes non-recording spans with ids), so logs, NATS headers and job
  // data keep their trace ids.
  const recording = Boolean(options.otlpEndpoint || options.spanExporter);
  const processors = new SpanProcessorSet();
  if (options.otlpEndpoint) processors.add(new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(options.otlpEndpoint) })));
  if (options.spanExporter) processors.add(new SimpleSpanProcessor(options.spanExporter));

  const httpInstrumentation =
    options.instrumentHttp === false || !recording
      ? undefined
      : new HttpInstrumentation({
          // Prometheus scrapes /metrics every few seconds; a trace per scrape is noise.
          ignoreIncomingRequestHook: (request) => request.url === '/metrics',
        });

  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    // One processor that can gain members later (tests, the launcher); see SpanProcessorSet.
    spanProcessors: [processors],
    sampler: recording ? new ParentBasedSampler({ root: new AlwaysOnSampler() }) : new AlwaysOffSampler(),
    metricReaders: [],
    logRecordProcessors: [],
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    instrumentations: httpInstrumentation ? [httpInstrumentation] : [],
  });
  sdk.start();

  let stopping: Promise<void> | undefined;
  const registration: TracingRegistration = {
    owner: 'sdk',
    processors,
    shutdown: () =>
      (stopping ??= (async () => {
        httpInstrumentation?.disable();
        try {
          await sdk.shutdown();
        } finally {
          disableApiGlobals();
          if (currentTracingRegistration() === registration) setTracingRegistration(undefined);
        }
      })()),
  };
  setTracingRegistration(registration);
  return handleFor(registration);
}

function handleFor(registration: TracingRegistration): TelemetryHandle {
  return {
    addSpanExporter: (exporter) => registration.processors.add(new SimpleSpanProcessor(exporter)),
    forceFlush: () => registration.processors.forceFlush(),
    shutdown: () => registration.shutdown(),
  };
}

function tracesUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  return base.endsWith('/v1/traces') ? base : `${base}/v1/traces`;
}
