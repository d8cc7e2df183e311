import { apiStatus, percentile, statusCounts, uptime, worstEndpoint } from './health-summary';

describe('health summaries', () => {
  it('reports the worst endpoint: blocked, down, unknown/unprobeable, degraded, healthy', () => {
    const e = (status: Parameters<typeof apiStatus>[0]) => ({ status });
    expect(worstEndpoint([e('healthy'), e('degraded')])?.status).toBe('degraded');
    expect(worstEndpoint([e('degraded'), e(null)])?.status).toBeNull();
    expect(worstEndpoint([e('unprobeable'), e('down'), e('healthy')])?.status).toBe('down');
    expect(worstEndpoint([e('down'), e('blocked')])?.status).toBe('blocked');
    expect(worstEndpoint([])).toBeNull();
  });

  it('shows unknown for no verdict and for an endpoint that cannot be probed', () => {
    expect(apiStatus(null)).toBe('unknown');
    expect(apiStatus('unprobeable')).toBe('unknown');
    expect(apiStatus('down')).toBe('down');
  });

  it('computes nearest-rank percentiles', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5], 95)).toBe(5);
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
  });

  it('computes uptime as a share of successful probes', () => {
    expect(uptime({ probes: 0, ok: 0 })).toBeNull();
    expect(uptime({ probes: 3, ok: 2 })).toBe(0.6667);
  });

  it('counts every status', () => {
    expect(statusCounts(['healthy', 'healthy', null, 'unprobeable', 'down'])).toEqual({ healthy: 2, degraded: 0, down: 1, blocked: 0, unprobeable: 1, unknown: 1 });
  });
});
