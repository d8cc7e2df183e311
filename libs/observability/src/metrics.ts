import { collectDefaultMetrics, Counter, Gauge, Histogram, register, type Metric } from 'prom-client';

/**
 * Prometheus metrics, pulled from `/metrics` (no OTel metrics exporter: see telemetry.ts).
 * Everything lives in prom-client's default registry because the all-in-one launcher runs five
 * services in one process and they must all show on one scrape.
 */
export const metricsRegistry = register;

/** Process metrics (CPU, memory, event-loop lag, GC); registering them twice would throw. */
export function collectDefaultMetricsOnce(): void {
  // The registry is the source of truth, not a module flag: a second copy of this module (or a
  // test that reset the registry) must see what is really registered.
  if (register.getSingleMetric('process_cpu_user_seconds_total')) return;
  collectDefaultMetrics({ register });
}

/*
 * prom-client throws "A metric with the name X has already been registered" on a second `new
 * Counter(...)`, which five services in one process would hit. These helpers hand back the metric
 * already registered under the name, after checking that it is of the same kind and labels.
 */
const declaredLabels = new WeakMap<Metric, readonly string[]>();

function existing<M extends Metric>(
  name: string,
  kind: abstract new (...args: never[]) => M,
  labelNames: readonly string[],
): M | undefined {
  const found = register.getSingleMetric(name);
  if (!found) return undefined;
  if (!(found instanceof kind)) throw new Error(`metric ${name} is already registered as another kind of metric`);
  const labels = declaredLabels.get(found);
  if (labels && labels.join(',') !== labelNames.join(',')) {
    throw new Error(`metric ${name} is already registered with labels [${labels.join(', ')}], not [${labelNames.join(', ')}]`);
  }
  return found;
}

function remember<M extends Metric>(metric: M, labelNames: readonly string[]): M {
  declaredLabels.set(metric, [...labelNames]);
  return metric;
}

export function counter<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
  return (
    existing<Counter<L>>(name, Counter, labelNames) ??
    remember(new Counter<L>({ name, help, labelNames: [...labelNames], registers: [register] }), labelNames)
  );
}

export function gauge<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
  return (
    existing<Gauge<L>>(name, Gauge, labelNames) ??
    remember(new Gauge<L>({ name, help, labelNames: [...labelNames], registers: [register] }), labelNames)
  );
}

/** `buckets` in seconds (prom-client's defaults, 5 ms to 10 s, when omitted). */
export function histogram<L extends string = string>(
  name: string,
  help: string,
  labelNames: readonly L[] = [],
  buckets?: number[],
): Histogram<L> {
  return (
    existing<Histogram<L>>(name, Histogram, labelNames) ??
    remember(
      new Histogram<L>({ name, help, labelNames: [...labelNames], registers: [register], ...(buckets ? { buckets } : {}) }),
      labelNames,
    )
  );
}

/** The body and content type of a `/metrics` response. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: register.contentType, body: await register.metrics() };
}
