import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { type AuthFailure, type BurstDetection, maxTracked, slide } from './auth-failure';

/**
 * Counts failed authentications per source in a sliding window. `record` returns the window's
 * failures (oldest first) when this failure completes a burst, once per window per source; null
 * otherwise. The Redis adapter is shared by every replica of a service; the in-memory twin is
 * for unit tests.
 */
export interface FailureWindow {
  record(source: string, failure: AuthFailure): Promise<AuthFailure[] | null>;
}

export class InMemoryFailureWindow implements FailureWindow {
  private readonly windows = new Map<string, { entries: AuthFailure[]; reportedAt: number | null }>();

  constructor(private readonly detection: BurstDetection) {}

  async record(source: string, failure: AuthFailure): Promise<AuthFailure[] | null> {
    const state = this.windows.get(source) ?? { entries: [], reportedAt: null };
    const next = slide(state.entries, failure, this.detection, state.reportedAt);
    this.windows.set(source, { entries: next.entries, reportedAt: next.burst ? failure.at : state.reportedAt });
    return next.burst ? next.entries : null;
  }
}

/*
 * The same steps as slide(), atomically in Redis, so that two replicas counting the same source
 * neither lose a failure nor both report the burst: add the failure, drop what is older than
 * the window, keep the newest `max`, and when `threshold` are left and the last report of this
 * source is older than the window, report and remember when. Times are the callers' clocks
 * (ARGV), as in slide(); the expiries only collect garbage. Members carry a nonce: two failures
 * in the same millisecond must both count.
 * KEYS: 1 the source's failures (sorted by time), 2 when its last burst was reported.
 * ARGV: 1 now (ms), 2 window (ms), 3 threshold, 4 max kept, 5 the failure (JSON).
 */
const RECORD_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[4]) + 1))
redis.call('PEXPIRE', KEYS[1], window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then return false end
local reported = redis.call('GET', KEYS[2])
if reported and tonumber(reported) > now - window then return false end
redis.call('SET', KEYS[2], now, 'PX', window)
return redis.call('ZRANGE', KEYS[1], 0, -1)
`;

interface StoredFailure {
  a: number;
  r: AuthFailure['reason'];
  s: string | null;
  j: string | null;
  m: string | null;
  n: string;
}

export class RedisFailureWindow implements FailureWindow {
  constructor(
    private readonly redis: Redis,
    /** `<instance>:authfail:<service>`: every instance and service counts apart. */
    private readonly prefix: string,
    private readonly detection: BurstDetection,
  ) {}

  async record(source: string, failure: AuthFailure): Promise<AuthFailure[] | null> {
    const stored: StoredFailure = { a: failure.at, r: failure.reason, s: failure.subject, j: failure.tokenId, m: failure.authMethod, n: randomUUID() };
    const key = `${this.prefix}:${source}`;
    const result = (await this.redis.eval(
      RECORD_SCRIPT,
      2,
      `${key}:failures`,
      `${key}:burst`,
      failure.at,
      this.detection.windowMs,
      this.detection.threshold,
      maxTracked(this.detection),
      JSON.stringify(stored),
    )) as string[] | null;
    if (!Array.isArray(result)) return null;
    return result.map((member) => {
      const s = JSON.parse(member) as StoredFailure;
      return { at: s.a, reason: s.r, subject: s.s, tokenId: s.j, authMethod: s.m };
    });
  }
}
