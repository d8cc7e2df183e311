import { createHash } from 'node:crypto';
import { ToolportError } from '@toolport/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Redis from 'ioredis';

/**
 * Fixed-window write limits per client IP and per bearer token, counted in Redis so every replica
 * of a service shares them. Reads are not limited here: the catalog's read path must stay a
 * single lookup. Tokens are never stored: the key holds a hash prefix.
 */
export interface RateLimitOptions {
  redis: Redis;
  /** Key prefix: `<instance>:ratelimit:<service>`. */
  prefix: string;
  ipPerMinute: number;
  tokenPerMinute: number;
  clock?: () => number;
}

const LIMITED_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WINDOW_MS = 60_000;

interface Bucket {
  key: string;
  limit: number;
  what: string;
}

export class RateLimiter {
  constructor(private readonly options: RateLimitOptions) {}

  /** Counts the request; throws ToolportError rate_limited when a bucket is over its limit. */
  async check(request: Pick<FastifyRequest, 'method' | 'ip' | 'headers'>, reply?: Pick<FastifyReply, 'header'>): Promise<void> {
    if (!LIMITED_METHODS.has(request.method)) return;
    const now = (this.options.clock ?? Date.now)();
    const window = Math.floor(now / WINDOW_MS);
    const buckets: Bucket[] = [];
    if (this.options.ipPerMinute > 0) buckets.push({ key: `${this.options.prefix}:ip:${request.ip}:${window}`, limit: this.options.ipPerMinute, what: `client address ${request.ip}` });
    const token = bearerOf(request.headers.authorization);
    if (token && this.options.tokenPerMinute > 0) {
      const hash = createHash('sha256').update(token).digest('hex').slice(0, 24);
      buckets.push({ key: `${this.options.prefix}:token:${hash}:${window}`, limit: this.options.tokenPerMinute, what: 'this token' });
    }
    if (buckets.length === 0) return;
    const multi = this.options.redis.multi();
    for (const bucket of buckets) multi.incr(bucket.key).pexpire(bucket.key, WINDOW_MS * 2);
    const results = (await multi.exec()) ?? [];
    const retryAfter = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    buckets.forEach((bucket, i) => {
      const count = Number(results[i * 2]?.[1] ?? 0);
      if (count > bucket.limit) {
        reply?.header('retry-after', String(retryAfter));
        throw new ToolportError('rate_limited', 'RATE_LIMITED', `Too many writes from ${bucket.what}: at most ${bucket.limit} per minute; retry in ${retryAfter} s`);
      }
    });
  }
}

function bearerOf(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)/i.exec(header);
  return match ? match[1]! : null;
}

/** Registers the limiter before routing, so a refused request costs no handler work. */
export function installRateLimit(fastify: FastifyInstance, limiter: RateLimiter): void {
  fastify.addHook('onRequest', async (request, reply) => {
    await limiter.check(request, reply);
  });
}
