import { collectDefaultMetricsOnce, counter, gauge, histogram, metricsRegistry, renderMetrics } from './metrics';

describe('metrics helpers', () => {
  afterAll(() => metricsRegistry.clear());

  it('returns the metric already registered under a name instead of throwing', async () => {
    const first = counter('spec_requests_total', 'Requests.', ['route']);
    const second = counter('spec_requests_total', 'Requests.', ['route']);
    expect(second).toBe(first);
    first.inc({ route: '/a' });
    second.inc({ route: '/a' });
    const { body, contentType } = await renderMetrics();
    expect(contentType).toContain('text/plain');
    expect(body).toContain('spec_requests_total{route="/a"} 2');
  });

  it('does the same for gauges and histograms', async () => {
    expect(gauge('spec_depth', 'Depth.')).toBe(gauge('spec_depth', 'Depth.'));
    const h = histogram('spec_duration_seconds', 'Duration.', ['outcome'], [0.1, 1]);
    expect(histogram('spec_duration_seconds', 'Duration.', ['outcome'])).toBe(h);
    h.observe({ outcome: 'ok' }, 0.5);
    expect((await renderMetrics()).body).toContain('spec_duration_seconds_bucket{le="1",outcome="ok"} 1');
  });

  it('refuses a name already used by another kind of metric or other labels', () => {
    counter('spec_kind_total', 'Kind.', ['a']);
    expect(() => gauge('spec_kind_total', 'Kind.')).toThrow(/another kind/);
    expect(() => counter('spec_kind_total', 'Kind.', ['b'])).toThrow(/labels \[a\]/);
  });

  it('registers default process metrics once however often it is called', async () => {
    collectDefaultMetricsOnce();
    expect(() => collectDefaultMetricsOnce()).not.toThrow();
    expect((await renderMetrics()).body).toContain('process_cpu_user_seconds_total');
  });
});
