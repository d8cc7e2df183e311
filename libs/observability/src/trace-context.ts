import { context, propagation, trace, type Context, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';

/**
 * W3C trace context across process boundaries that OpenTelemetry does not instrument:
 * NATS headers (no NATS instrumentation exists), BullMQ job data and event metadata.
 * Uses the globally registered propagator (W3C by default in the Node SDK).
 */

export function currentTraceparent(ctx: Context = context.active()): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier['traceparent'] ?? null;
}

/** A context whose parent is the given `traceparent` (or the active context when there is none). */
export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  if (!traceparent) return context.active();
  return propagation.extract(context.active(), { traceparent });
}

/**
 * Run `fn` inside a new span. With `parent` (a traceparent string) the span continues that trace,
 * which is how a consumer or job worker joins the trace of the request that caused it.
 */
export async function withSpan<T>(
  name: string,
  options: { parent?: string | null; kind?: SpanKind; attributes?: Record<string, string | number | boolean> },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const tracer = trace.getTracer('toolport');
  const parentContext = options.parent === undefined ? context.active() : contextFromTraceparent(options.parent);
  return tracer.startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, parentContext, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

export { SpanKind };
