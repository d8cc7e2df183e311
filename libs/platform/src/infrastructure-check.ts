import { connect as connectNats } from '@nats-io/transport-node';
import Redis from 'ioredis';
import { Client } from 'pg';
import { redactUrl } from '@toolport/config';

/**
 * Before anything else, a service checks that PostgreSQL, NATS and Redis answer, so that a
 * missing one gives one clear line (which, where, how to start it) instead of a wall of stack.
 */
export interface InfrastructureUrls {
  databaseUrl: string;
  natsUrl: string;
  redisUrl: string;
}

export interface Unreachable {
  name: 'PostgreSQL' | 'NATS' | 'Redis';
  url: string;
  reason: string;
  howToStart: string;
}

const HOW_TO_START = {
  PostgreSQL: 'start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` or `docker compose up -d postgres`',
  NATS: 'start it with `nats-server -js` (JetStream on) or `docker compose up -d nats`',
  Redis: 'start it with `redis-server --daemonize yes` or `docker compose up -d redis`',
} as const;

const reasonOf = (error: unknown): string => {
  const e = error as { code?: string; message?: string; errors?: Array<{ code?: string }> };
  return e.code ?? e.errors?.[0]?.code ?? e.message ?? String(error);
};

export async function checkPostgres(url: string, timeoutMs = 3000): Promise<Unreachable | null> {
  // The maintenance database proves the server answers even before `toolport` is created.
  const server = new URL(url);
  server.pathname = '/postgres';
  const client = new Client({ connectionString: server.toString(), connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return { name: 'PostgreSQL', url: redactUrl(url), reason: reasonOf(error), howToStart: HOW_TO_START.PostgreSQL };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function checkNats(url: string, timeoutMs = 3000): Promise<Unreachable | null> {
  try {
    const nc = await connectNats({ servers: url, timeout: timeoutMs, reconnect: false, name: 'toolport-preflight' });
    const jetstreamEnabled = await nc
      .request('$JS.API.INFO', undefined, { timeout: timeoutMs })
      .then((m) => !('error' in (m.json() as object)))
      .catch(() => false);
    await nc.close();
    if (!jetstreamEnabled) {
      return { name: 'NATS', url: redactUrl(url), reason: 'JetStream is not enabled', howToStart: 'restart nats-server with `-js`' };
    }
    return null;
  } catch (error) {
    return { name: 'NATS', url: redactUrl(url), reason: reasonOf(error), howToStart: HOW_TO_START.NATS };
  }
}

export async function checkRedis(url: string, timeoutMs = 3000): Promise<Unreachable | null> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // ioredis rejects connect() with "Connection is closed."; the socket's own error says why.
  let socketError: unknown;
  redis.on('error', (error) => {
    socketError ??= error;
  });
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return { name: 'Redis', url: redactUrl(url), reason: reasonOf(socketError ?? error), howToStart: HOW_TO_START.Redis };
  } finally {
    redis.disconnect();
  }
}

export async function checkInfrastructure(urls: InfrastructureUrls): Promise<Unreachable[]> {
  const results = await Promise.all([checkPostgres(urls.databaseUrl), checkNats(urls.natsUrl), checkRedis(urls.redisUrl)]);
  return results.filter((r): r is Unreachable => r !== null);
}

export function describeUnreachable(service: string, u: Unreachable): string {
  return `toolport-${service}: cannot reach ${u.name} at ${u.url} (${u.reason}); ${u.howToStart}`;
}
