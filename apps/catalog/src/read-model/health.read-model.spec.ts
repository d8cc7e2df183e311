import { driftDetected, healthChanged } from '../__fixtures__/catalog-events';
import type { HealthCatalogEvent } from './catalog-events';
import { driftActive, evolveHealth, type HealthState, worstHealth } from './health.read-model';

const NAME = 'io.github.acme/weather';
const A = 'https://a.example.com/mcp';
const B = 'https://b.example.com/mcp';
const replay = (events: HealthCatalogEvent[]): HealthState => events.reduce<HealthState | null>(evolveHealth, null)!;

describe('evolveHealth', () => {
  it('reports the worst status over the remotes and the latest check', () => {
    const state = replay([healthChanged(NAME, '1.0.0', A, 'healthy', '2025-06-01T10:00:00.000Z'), healthChanged(NAME, '1.0.0', B, 'degraded', '2025-06-01T09:00:00.000Z')]);
    expect(state).toMatchObject({ status: 'degraded', checkedAt: '2025-06-01T10:00:00.000Z' });
    expect(Object.keys(state.remotes).sort()).toEqual([A, B]);
  });

  it('recovers when the failing remote recovers', () => {
    const down = replay([healthChanged(NAME, '1.0.0', A, 'healthy', '2025-06-01T10:00:00.000Z'), healthChanged(NAME, '1.0.0', B, 'down', '2025-06-01T10:01:00.000Z')]);
    expect(down.status).toBe('down');
    expect(evolveHealth(down, healthChanged(NAME, '1.0.0', B, 'healthy', '2025-06-01T10:05:00.000Z'))).toMatchObject({ status: 'healthy', checkedAt: '2025-06-01T10:05:00.000Z' });
  });

  it('records tool drift without touching the status', () => {
    const state = replay([healthChanged(NAME, '1.0.0', A, 'healthy', '2025-06-01T10:00:00.000Z'), driftDetected(NAME, '1.0.0', A, '2025-06-02T00:00:00.000Z')]);
    expect(state.status).toBe('healthy');
    expect(state.drift).toMatchObject({ remoteUrl: A, detectedAt: '2025-06-02T00:00:00.000Z', added: ['exfiltrate'], changed: ['search'] });
  });
});

describe('worstHealth', () => {
  it('orders blocked, down, unprobeable, degraded, healthy (as search ranks them)', () => {
    expect(worstHealth([])).toBeNull();
    expect(worstHealth(['healthy', 'degraded'])).toBe('degraded');
    expect(worstHealth(['degraded', 'unprobeable'])).toBe('unprobeable');
    expect(worstHealth(['unprobeable', 'down', 'healthy'])).toBe('down');
    expect(worstHealth(['down', 'blocked'])).toBe('blocked');
  });
});

describe('driftActive', () => {
  const drift = { detectedAt: '2025-06-02T00:00:00.000Z' };
  it('holds until an approval decided at or after the detection', () => {
    expect(driftActive(null, null)).toBe(false);
    expect(driftActive(drift, null)).toBe(true);
    expect(driftActive(drift, { approval: 'approved', approvalAt: '2025-06-01T00:00:00.000Z' })).toBe(true);
    expect(driftActive(drift, { approval: 'approved', approvalAt: '2025-06-02T00:00:00.000Z' })).toBe(false);
    expect(driftActive(drift, { approval: 'revoked', approvalAt: '2025-06-03T00:00:00.000Z' })).toBe(true);
  });
});
