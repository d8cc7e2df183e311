import { ALL_EVENTS, EventRegistry, pgSchemaName } from '@toolport/contracts';
import type { Migration } from '@toolport/event-store';
import Redis from 'ioredis';
import type { Pool } from 'pg';
import { openServiceDatabase, postgresReadiness } from './database';
import { checkInfrastructure, describeUnreachable } from './infrastructure-check';
import type { PlatformConfig } from '@toolport/config';
import { ReadinessRegistry } from './readiness';

/** What a service holds open for its whole life; created before Nest, closed after it. */
export interface ServiceRuntime {
  config: PlatformConfig;
  schema: string;
  pool: Pool;
  redis: Redis;
  readiness: ReadinessRegistry;
  events: EventRegistry;
  close(): Promise<void>;
}

/** Thrown when PostgreSQL, NATS or Redis cannot be reached; `message` is the one line to print. */
export class InfrastructureUnavailableError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'InfrastructureUnavailableError';
  }
}

export async function openServiceRuntime(config: PlatformConfig, migrations: readonly Migration[]): Promise<ServiceRuntime> {
  const unreachable = await checkInfrastructure(config);
  if (unreachable.length > 0) {
    throw new InfrastructureUnavailableError(unreachable.map((u) => describeUnreachable(config.service, u)));
  }
  const schema = pgSchemaName(config.instance, config.service);
  const pool = await openServiceDatabase({
    databaseUrl: config.databaseUrl,
    poolMax: config.databasePoolMax,
    applicationName: `toolport-${config.service}`,
    schema,
    migrations,
  });
  // ioredis reconnects on its own; readiness reports while it cannot.
  const redis = new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1, connectionName: `toolport-${config.service}` });
  redis.on('error', () => undefined);
  const readiness = new ReadinessRegistry();
  readiness.register(postgresReadiness(pool));
  readiness.register({
    name: 'redis',
    async check() {
      await redis.ping();
      return { ok: true };
    },
  });
  return {
    config,
    schema,
    pool,
    redis,
    readiness,
    // Owned by this service: shared events (AuthenticationFailureBurstDetected) resolve to its own stream.
    events: new EventRegistry(ALL_EVENTS, { owner: config.service }),
    async close() {
      redis.disconnect();
      await pool.end();
    },
  };
}
