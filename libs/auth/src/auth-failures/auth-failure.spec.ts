import { ALL_EVENTS, EventRegistry, MAX_LISTED_CLAIMS, ToolportError } from '@toolport/contracts';
import { InMemoryEventStore } from '@toolport/event-store';
import { authErrors } from '../auth-errors';
import { type AuthFailure, type BurstDetection, burstActor, burstData, claimsOf, failureOf, slide } from './auth-failure';
import { AuthFailureMonitor } from './auth-failure-monitor';
import { InMemoryFailureWindow } from './failure-window';

const detection: BurstDetection = { threshold: 10, windowMs: 60_000 };
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const failure = (at: number, over: Partial<AuthFailure> = {}): AuthFailure => ({ at, reason: 'bad_signature', subject: null, tokenId: null, authMethod: null, ...over });

/** An unsigned JWT-shaped token: decodable claims, a signature nobody made. */
function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'EdDSA', typ: 'JWT' })}.${part(claims)}.${Buffer.from('not-a-signature').toString('base64url')}`;
}

/** Feeds failures at the given times through slide(), as one source; the times at which a burst was reported. */
function bursts(times: readonly number[], d: BurstDetection = detection): number[] {
  let entries: AuthFailure[] = [];
  let reportedAt: number | null = null;
  const reported: number[] = [];
  for (const at of times) {
    const next = slide(entries, failure(at), d, reportedAt);
    entries = next.entries;
    if (next.burst) {
      reportedAt = at;
      reported.push(at);
    }
  }
  return reported;
}

const every = (count: number, start: number, stepMs: number) => Array.from({ length: count }, (_, i) => start + i * stepMs);

describe('slide: sliding-window burst detection', () => {
  it('reports nothing below the threshold', () => {
    expect(bursts(every(9, T0, 1000))).toEqual([]);
  });

  it('reports the failure that reaches the threshold, once per window however many follow', () => {
    expect(bursts(every(25, T0, 1000))).toEqual([T0 + 9000]);
  });

  it('reports again once a window has passed since the last report and the threshold is reached again', () => {
    // One failure a second for three minutes: a burst at 9 s, then one each time the window since the last report has passed.
    expect(bursts(every(180, T0, 1000))).toEqual([T0 + 9000, T0 + 69_000, T0 + 129_000]);
  });

  it('forgets failures older than the window', () => {
    // Nine failures, then a tenth 61 s after the first: only 9 are within any 60 s.
    expect(bursts([...every(9, T0, 100), T0 + 61_000])).toEqual([]);
    expect(bursts([...every(9, T0, 100), T0 + 59_000])).toEqual([T0 + 59_000]);
  });

  it('catches a burst that straddles a minute boundary (a fixed window would not)', () => {
    expect(bursts([...every(5, T0 + 55_000, 1000), ...every(5, T0 + 60_500, 1000)])).toEqual([T0 + 64_500]);
  });

  it('keeps a bounded number of failures per source under a flood', () => {
    let entries: AuthFailure[] = [];
    for (const at of every(5000, T0, 1)) entries = slide(entries, failure(at), detection, T0).entries;
    expect(entries).toHaveLength(1000);
    expect(entries[0]!.at).toBe(T0 + 4000);
  });
});

describe('InMemoryFailureWindow', () => {
  it('counts each source apart and returns the window (oldest first) once', async () => {
    const window = new InMemoryFailureWindow({ threshold: 3, windowMs: 60_000 });
    const results = [];
    for (const at of every(4, T0, 10)) {
      results.push(await window.record('ip:a', failure(at)));
      results.push(await window.record('ip:b', failure(at)));
    }
    const reported = results.filter((r) => r !== null);
    expect(reported).toHaveLength(2);
    expect(reported[0]!.map((f) => f.at)).toEqual([T0, T0 + 10, T0 + 20]);
  });
});

describe('claimsOf and failureOf', () => {
  it('reads sub, jti and auth_method of a JWT without trusting it, and nothing of anything else', () => {
    expect(claimsOf(fakeJwt({ sub: 'alice', jti: 'tok-1', auth_method: 'api-token' }))).toEqual({ subject: 'alice', tokenId: 'tok-1', authMethod: 'api-token' });
    expect(claimsOf('tp_admin_0123456789abcdef0123456789abcdef')).toEqual({ subject: null, tokenId: null, authMethod: null });
    expect(claimsOf(fakeJwt({ sub: 'x'.repeat(257), jti: 42 }))).toEqual({ subject: null, tokenId: null, authMethod: null });
    expect(claimsOf(null)).toEqual({ subject: null, tokenId: null, authMethod: null });
  });

  it('classifies every 401 of libs/auth by reason and ignores other errors', () => {
    const token = fakeJwt({ sub: 'bob' });
    expect(failureOf(authErrors.tokenMissing(), null, T0)).toEqual(failure(T0, { reason: 'missing' }));
    expect(failureOf(authErrors.tokenExpired(null), token, T0)).toMatchObject({ reason: 'expired', subject: 'bob' });
    expect(failureOf(authErrors.tokenRevoked(), token, T0)?.reason).toBe('revoked');
    expect(failureOf(authErrors.tokenInvalid('x', 'bad_signature'), token, T0)?.reason).toBe('bad_signature');
    expect(failureOf(authErrors.tokenInvalid('no auth_method'), token, T0)?.reason).toBe('invalid_claims');
    expect(failureOf(authErrors.missingRole(['admin'], []), token, T0)).toBeNull();
    expect(failureOf(new ToolportError('invalid', 'BAD', 'bad'), token, T0)).toBeNull();
    expect(failureOf(new Error('boom'), token, T0)).toBeNull();
  });
});

describe('burstData and burstActor', () => {
  const registry = new EventRegistry(ALL_EVENTS, { owner: 'catalog' });

  it('counts reasons, ranks the claims, and makes data the registry accepts', () => {
    const failures = [
      failure(T0, { reason: 'expired', subject: 'alice', tokenId: 't1' }),
      failure(T0 + 10, { reason: 'expired', subject: 'alice', tokenId: 't1' }),
      failure(T0 + 20, { reason: 'missing' }),
      failure(T0 + 30, { reason: 'bad_signature', subject: 'mallory', tokenId: 't2' }),
      failure(T0 + 30, { reason: 'bad_signature', subject: 'mallory', tokenId: 't3' }),
      failure(T0 + 40, { reason: 'bad_signature', subject: 'mallory', tokenId: 't4' }),
    ];
    const data = burstData('catalog', '203.0.113.7', failures, detection, T0 + 50);
    expect(data).toEqual({
      service: 'catalog',
      sourceIp: '203.0.113.7',
      count: 6,
      threshold: 10,
      windowSeconds: 60,
      windowStart: new Date(T0 + 50 - 60_000).toISOString(),
      windowEnd: new Date(T0 + 50).toISOString(),
      firstSeenAt: new Date(T0).toISOString(),
      lastSeenAt: new Date(T0 + 40).toISOString(),
      reasons: [
        { reason: 'missing', count: 1 },
        { reason: 'bad_signature', count: 3 },
        { reason: 'expired', count: 2 },
      ],
      claimedSubjects: ['mallory', 'alice'],
      claimedTokenIds: ['t1', 't2', 't3', 't4'],
    });
    expect(registry.check({ type: 'AuthenticationFailureBurstDetected', data })).toEqual([]);
  });

  it('lists at most MAX_LISTED_CLAIMS claims', () => {
    const failures = every(50, T0, 1).map((at, i) => failure(at, { subject: `user-${i}`, tokenId: `tok-${i}` }));
    const data = burstData('catalog', '::1', failures, detection, T0 + 50);
    expect(data.claimedSubjects).toHaveLength(MAX_LISTED_CLAIMS);
    expect(data.claimedTokenIds).toHaveLength(MAX_LISTED_CLAIMS);
    expect(registry.check({ type: 'AuthenticationFailureBurstDetected', data })).toEqual([]);
  });

  it('names the one claimed subject as actor, else the source IP as anonymous', () => {
    expect(burstActor('10.0.0.1', [failure(T0, { subject: 'ci-bot', authMethod: 'api-token' }), failure(T0, { reason: 'missing' })])).toEqual({ kind: 'token', id: 'ci-bot' });
    expect(burstActor('10.0.0.1', [failure(T0, { subject: 'alice' })])).toEqual({ kind: 'user', id: 'alice' });
    expect(burstActor('10.0.0.1', [failure(T0, { subject: 'alice' }), failure(T0, { subject: 'bob' })])).toEqual({ kind: 'anonymous', id: '10.0.0.1' });
    expect(burstActor('10.0.0.1', [failure(T0)])).toEqual({ kind: 'anonymous', id: '10.0.0.1' });
  });
});

describe('AuthFailureMonitor', () => {
  const monitorFor = (store: InMemoryEventStore, onError?: (error: unknown) => void, now = () => new Date(T0)) =>
    new AuthFailureMonitor({ service: 'catalog', window: new InMemoryFailureWindow(detection), store, detection, clock: now, ...(onError ? { onError } : {}) });

  it('appends exactly one burst event per source and window to the service store, without the token', async () => {
    const store = new InMemoryEventStore({ registry: new EventRegistry(ALL_EVENTS, { owner: 'catalog' }) });
    let clock = T0;
    const monitor = monitorFor(store, (error) => { throw error; }, () => new Date(clock));
    const token = fakeJwt({ sub: 'alice', jti: 'stolen-1', auth_method: 'github-oidc' });
    for (let i = 0; i < 15; i++) {
      clock = T0 + i * 100;
      await monitor.observe({ ip: '198.51.100.9', token, error: authErrors.tokenInvalid('sig', 'bad_signature') });
      await monitor.observe({ ip: '198.51.100.10', token: null, error: authErrors.missingRole(['admin'], []) });
    }
    const events = await store.readAll({ after: 0, limit: 100 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'AuthenticationFailureBurstDetected',
      data: { service: 'catalog', sourceIp: '198.51.100.9', count: 10, claimedSubjects: ['alice'], claimedTokenIds: ['stolen-1'], reasons: [{ reason: 'bad_signature', count: 10 }] },
      metadata: { streamId: 'auth-failures-198.51.100.9', actor: { kind: 'user', id: 'alice' } },
    });
    expect(JSON.stringify(events)).not.toContain(token.split('.')[2]);
  });

  it('reports a failing append instead of throwing (the 401 goes out regardless)', async () => {
    // A registry owned by another service refuses the catalog's burst: the append fails.
    const store = new InMemoryEventStore({ registry: new EventRegistry(ALL_EVENTS, { owner: 'publisher' }) });
    const errors: unknown[] = [];
    const monitor = monitorFor(store, (error) => errors.push(error));
    for (let i = 0; i < 10; i++) await monitor.observe({ ip: '::1', token: null, error: authErrors.tokenMissing() });
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/data\.service must be "publisher"/);
    expect(await store.readAll({ after: 0, limit: 10 })).toEqual([]);
  });
});
