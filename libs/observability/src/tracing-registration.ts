import { context, propagation, trace, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * A span processor whose members can change after the tracer provider is built. SDK 2.x removed
 * `TracerProvider.addSpanProcessor`, yet a test (or the all-in-one launcher, which starts five
 * services in one process) must be able to attach an exporter to tracing that is already running.
 */
export class SpanProcessorSet implements SpanProcessor {
  private readonly members = new Set<SpanProcessor>();

  add(processor: SpanProcessor): void {
    this.members.add(processor);
  }

  /** Detaches and shuts down one member; the others keep exporting. */
  async remove(processor: SpanProcessor): Promise<void> {
    if (!this.members.delete(processor)) return;
    await processor.shutdown();
  }

  get size(): number {
    return this.members.size;
  }

  onStart(span: Span, parentContext: Context): void {
    for (const member of this.members) member.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    for (const member of this.members) member.onEnd(span);
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.members].map((member) => member.forceFlush()));
  }

  async shutdown(): Promise<void> {
    const members = [...this.members];
    this.members.clear();
    await Promise.all(members.map((member) => member.shutdown()));
  }
}

/** What is registered with the OpenTelemetry API globals in this process, and by whom. */
export interface TracingRegistration {
  readonly owner: 'sdk' | 'test';
  readonly processors: SpanProcessorSet;
  shutdown(): Promise<void>;
}

/*
 * Kept on globalThis (like @opentelemetry/api keeps its own globals) so that a second copy of this
 * module - e.g. one loaded from dist/ and one from src/ - still sees the first registration
 * instead of registering the SDK twice.
 */
const REGISTRATION = Symbol.for('io.toolport.observability.tracing');
type Holder = { [REGISTRATION]?: TracingRegistration };

export function currentTracingRegistration(): TracingRegistration | undefined {
  return (globalThis as Holder)[REGISTRATION];
}

export function setTracingRegistration(registration: TracingRegistration | undefined): void {
  (globalThis as Holder)[REGISTRATION] = registration;
}

/** Clears what the SDK (or test tracing) set on the OpenTelemetry API, so it may be set again. */
export function disableApiGlobals(): void {
  trace.disable();
  propagation.disable();
  context.disable();
}
