import { driftDetected, healthChanged } from '../__fixtures__/catalog-events';
import type { HealthCatalogEvent } from './catalog-events';
import { versionUptime } from './health-uptime';
import { driftActive, evolveHealth, type HealthState, remoteHealthOf, worstHealth } from './health.read-model';

const NAME = 'io.github.acme/weather';
const A = 'https://a.example.com/mcp';
const B = 'https://b.example.com/mcp';
const replay = (events: HealthCatalogEvent[]): HealthState => events.reduce<HealthState | null>(evolveHealth, null)!;
const MINUTE = 60_000;
const at = (minute: number): string => new Date(Date.UTC(2025, 5, 1, 10, minute)).toISOString();
type Status = 'healthy' | 'degraded' | 'down' | 'blocked' | 'unprobeable';
const changes = (remoteUrl: string, steps: Array<[Status, number]>): HealthCatalogEvent[] => steps.map(([status, minute]) => healthChanged(NAME, '1.0.0', remoteUrl, status, at(minute)));

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

describe('evolveHealth: the uptime account of each remote', () => {
  it('credits each interval to the status that began it: healthy 10 min, down 5 min, then healthy again', () => {
    const state = replay(changes(A, [['healthy', 0], ['down', 10], ['healthy', 15]]));
    expect(state.remotes[A]).toMatchObject({ status: 'healthy', checkedAt: at(15), observedSince: at(0), upMs: 10 * MINUTE, knownMs: 15 * MINUTE });
  });

  it('counts degraded as up and blocked as down', () => {
    const state = replay(changes(A, [['degraded', 0], ['blocked', 20], ['healthy', 30]]));
    expect(state.remotes[A]).toMatchObject({ upMs: 20 * MINUTE, knownMs: 30 * MINUTE });
  });

  it('leaves the time spent unprobeable out of both sides', () => {
    const state = replay(changes(A, [['healthy', 0], ['unprobeable', 10], ['down', 40], ['healthy', 45]]));
    expect(state.remotes[A]).toMatchObject({ observedSince: at(0), upMs: 10 * MINUTE, knownMs: 15 * MINUTE });
  });

  it('ignores a change older than the remote’s last one (late or replayed): status, check and account stay', () => {
    const state = replay(changes(A, [['healthy', 0], ['down', 10]]));
    expect(evolveHealth(state, healthChanged(NAME, '1.0.0', A, 'healthy', at(5)))).toEqual(state);
  });

  it('takes the same change applied twice as one', () => {
    const [healthy, down] = changes(A, [['healthy', 0], ['down', 10]]);
    const once = replay([healthy!, down!]);
    expect(replay([healthy!, down!, down!])).toEqual(once);
    expect(once.remotes[A]).toMatchObject({ status: 'down', upMs: 10 * MINUTE, knownMs: 10 * MINUTE });
  });

  it('applies changes with the same time in stream order, crediting no time between them', () => {
    const state = replay(changes(A, [['healthy', 0], ['degraded', 0]]));
    expect(state.remotes[A]).toMatchObject({ status: 'degraded', observedSince: at(0), upMs: 0, knownMs: 0 });
  });

  it('keeps one account per remote, and the version’s uptime is its least available remote’s', () => {
    const state = replay([...changes(A, [['healthy', 0]]), ...changes(B, [['down', 5]]), ...changes(A, [['down', 20]]), ...changes(B, [['healthy', 25]])]);
    expect(state.remotes[A]).toMatchObject({ status: 'down', observedSince: at(0), upMs: 20 * MINUTE, knownMs: 20 * MINUTE });
    expect(state.remotes[B]).toMatchObject({ status: 'healthy', observedSince: at(5), upMs: 0, knownMs: 20 * MINUTE });
    expect(state.status).toBe('down');
    // At minute 45: A up 20 of 45 minutes (0.4444), B up 20 of 40 (0.5).
    expect(versionUptime(Object.values(state.remotes), new Date(at(45)))).toEqual({ ratio: 0.4444, since: at(0) });
  });
});

describe('remoteHealthOf', () => {
  it('starts the account of a remote stored before uptime was kept at its last change', () => {
    const stored = { status: 'down' as const, reason: 'x', latencyMs: null, checkedAt: at(10) };
    expect(remoteHealthOf(stored)).toEqual({ ...stored, observedSince: at(10), upMs: 0, knownMs: 0 });
    const current = { ...stored, observedSince: at(0), upMs: 5, knownMs: 10 };
    expect(remoteHealthOf(current)).toEqual(current);
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
