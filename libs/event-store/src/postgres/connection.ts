import { Client, escapeIdentifier, Pool } from 'pg';

export interface PoolOptions {
  /** Most connections the pool opens (pg's default is 10). */
  max?: number;
  /** Shown in `pg_stat_activity.application_name`, to tell services apart on a shared server. */
  applicationName?: string;
  /**
   * Called when an idle pooled connection fails (server restart, network cut). pg emits these
   * on the pool, and an 'error' event without a listener would crash the process
   * (https://node-postgres.com/apis/pool#error). The pool has already dropped the connection;
   * the default only reports it as a process warning.
   */
  onIdleClientError?: (error: Error) => void;
}

export function createPool(databaseUrl: string, options: PoolOptions = {}): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max: options.max, application_name: options.applicationName });
  pool.on(
    'error',
    options.onIdleClientError ??
      ((error) => process.emitWarning(`idle PostgreSQL connection failed: ${error.message}`, { code: 'TOOLPORT_PG_IDLE' })),
  );
  return pool;
}

const DUPLICATE_DATABASE = '42P04';
/** Two concurrent CREATE DATABASE of one name can also collide on pg_database's unique index. */
const UNIQUE_VIOLATION = '23505';

/**
 * Creates the database named in `databaseUrl` if it does not exist, by connecting to the
 * `postgres` maintenance database on the same server with the same credentials. Safe when
 * several processes run it at once: losing the race to create it counts as success.
 */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '') throw new Error('the database URL names no database (expected postgres://host:port/<database>)');
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString(), application_name: 'toolport-ensure-database' });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (existing.rowCount !== 0) return;
    await client.query(`CREATE DATABASE ${escapeIdentifier(database)}`);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === DUPLICATE_DATABASE || code === UNIQUE_VIOLATION) return;
    throw error;
  } finally {
    await client.end();
  }
}
