import { createPool, ensureDatabase, type Migration, runMigrations } from '@toolport/event-store';
import type { Pool } from 'pg';
import type { ReadinessCheck } from './readiness';

/**
 * A service's connection pool, with its schema created and migrated before the service
 * accepts anything. Several replicas may start at once: `runMigrations` serialises them.
 */
export async function openServiceDatabase(options: {
  databaseUrl: string;
  poolMax: number;
  applicationName: string;
  schema: string;
  migrations: readonly Migration[];
}): Promise<Pool> {
  await ensureDatabase(options.databaseUrl);
  const pool = createPool(options.databaseUrl, { max: options.poolMax, applicationName: options.applicationName });
  await runMigrations(pool, options.schema, options.migrations);
  return pool;
}

export function postgresReadiness(pool: Pool): ReadinessCheck {
  return {
    name: 'postgres',
    async check() {
      await pool.query('select 1');
      return { ok: true };
    },
  };
}
