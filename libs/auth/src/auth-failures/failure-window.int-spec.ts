import { destroyInstance, TEST_REDIS_URL, testInstanceName } from '@toolport/testing';
import Redis from 'ioredis';
import type { AuthFailure, BurstDetection } from './auth-failure';
import { type FailureWindow, InMemoryFailureWindow, RedisFailureWindow } from './failure-window';

// The Redis window against real Redis: it must decide exactly as its pure twin (slide()) does,
// and two replicas counting one source at once must report its burst once.
const instance = testInstanceName('authfail');
const detection: BurstDetection = { threshold: 10, windowMs: 60_000 };
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const failure = (at: number, subject: string | null = null): AuthFailure => ({ at, reason: 'expired', subject, tokenId: null, authMethod: null });
let redis: Redis;
let other: Redis;

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
  other = new Redis(TEST_REDIS_URL);
});

afterAll(async () => {
  redis.disconnect();
  other.disconnect();
  await destroyInstance(instance);
});

async function reportedAt(window: FailureWindow, source: string, times: readonly number[]): Promise<number[]> {
  const reported: number[] = [];
  for (const at of times) if ((await window.record(source, failure(at))) !== null) reported.push(at);
  return reported;
}

it('reports the same bursts as the in-memory twin for the same failures', async () => {
  const scenarios: number[][] = [
    Array.from({ length: 180 }, (_, i) => T0 + i * 1000), // steady: one per second for three minutes
    Array.from({ length: 9 }, (_, i) => T0 + i), // below the threshold
    [...Array.from({ length: 9 }, (_, i) => T0 + i * 100), T0 + 61_000], // the old ones slide out
    [...Array.from({ length: 5 }, (_, i) => T0 + 55_000 + i * 1000), ...Array.from({ length: 5 }, (_, i) => T0 + 60_500 + i * 1000)],
  ];
  for (const [i, times] of scenarios.entries()) {
    const expected = await reportedAt(new InMemoryFailureWindow(detection), 'ip:x', times);
    const actual = await reportedAt(new RedisFailureWindow(redis, `${instance}:authfail:twin${i}`, detection), 'ip:x', times);
    expect(actual).toEqual(expected);
  }
});

it('returns the window oldest first, with what each failure claimed', async () => {
  const window = new RedisFailureWindow(redis, `${instance}:authfail:order`, { threshold: 3, windowMs: 60_000 });
  expect(await window.record('ip:y', failure(T0 + 2, 'carol'))).toBeNull();
  expect(await window.record('ip:y', failure(T0, 'alice'))).toBeNull();
  // Two failures in the same millisecond both count.
  expect(await window.record('ip:y', failure(T0, 'bob'))).toEqual(
    expect.arrayContaining([failure(T0, 'alice'), failure(T0, 'bob'), failure(T0 + 2, 'carol')]),
  );
});

it('reports a burst once when two replicas count the same source at the same time', async () => {
  const prefix = `${instance}:authfail:replicas`;
  const replicas = [new RedisFailureWindow(redis, prefix, detection), new RedisFailureWindow(other, prefix, detection)];
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => replicas[i % 2]!.record('ip:z', failure(T0 + i))));
  const bursts = results.filter((r) => r !== null);
  expect(bursts).toHaveLength(1);
  expect(bursts[0]!.length).toBeGreaterThanOrEqual(detection.threshold);
});
