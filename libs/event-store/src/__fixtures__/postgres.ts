import { createPool, ensureDatabase } from '../postgres/connection';
import { runMigrations } from '../postgres/migrations';
import { eventStoreMigrations } from '../postgres/postgres-event-store';
import type { Pool } from 'pg';

/**
 * A migrated event-store schema in the test database, for one integration test file.
 * The spec passes `databaseUrl` in (from the testing lib): fixtures stay free of it.
 */
export async function openTestSchema(databaseUrl: string, schema: string, max = 10): Promise<Pool> {
  await ensureDatabase(databaseUrl);
  const pool = createPool(databaseUrl, { max, applicationName: schema });
  await runMigrations(pool, schema, eventStoreMigrations);
  return pool;
}

export async function dropTestSchema(pool: Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
