import type { Pool, PoolClient } from 'pg';
import { advisoryLockKey } from './advisory-lock';
import { assertSchemaName } from './schema-name';
import { withTransaction } from './transaction';

export interface Migration {
  /** Unique within the schema, never renamed: it is what `schema_migrations` remembers. */
  id: string;
  /** The SQL text for a given (already validated) schema name; may hold several statements. */
  up: (schema: string) => string;
}

/**
 * Creates `schema` and its `schema_migrations` table if missing, then applies the missing
 * migrations in array order, each in its own transaction, and returns the ids it applied.
 *
 * Several services or replicas may start at once against one schema: every step holds a
 * transaction-scoped advisory lock for the schema, so a migration runs exactly once and the
 * others see it recorded when they get the lock (CREATE SCHEMA/TABLE IF NOT EXISTS alone is not
 * race-safe: two sessions can both pass the existence check and one fails on a catalog unique index).
 */
export async function runMigrations(pool: Pool, schema: string, migrations: readonly Migration[]): Promise<string[]> {
  assertSchemaName(schema);
  assertUniqueIds(migrations);
  const lockKey = advisoryLockKey('migrations', schema);
  const lock = (client: PoolClient) => client.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey]);

  await withTransaction(pool, async (client) => {
    await lock(client);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
  });

  // Read once without the lock: on an ordinary restart everything is applied and no lock is taken again.
  const done = new Set((await pool.query<{ id: string }>(`SELECT id FROM ${schema}.schema_migrations`)).rows.map((r) => r.id));
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.id)) continue;
    const didApply = await withTransaction(pool, async (client) => {
      await lock(client);
      const recorded = await client.query(`SELECT 1 FROM ${schema}.schema_migrations WHERE id = $1`, [migration.id]);
      if (recorded.rowCount !== 0) return false;
      try {
        await client.query(migration.up(schema));
      } catch (error) {
        throw new Error(`migration ${migration.id} on schema ${schema} failed: ${(error as Error).message}`, { cause: error });
      }
      await client.query(`INSERT INTO ${schema}.schema_migrations (id, applied_at) VALUES ($1, now())`, [migration.id]);
      return true;
    });
    if (didApply) applied.push(migration.id);
  }
  return applied;
}

function assertUniqueIds(migrations: readonly Migration[]): void {
  const seen = new Set<string>();
  for (const { id } of migrations) {
    if (id.length === 0) throw new Error('a migration has an empty id');
    if (seen.has(id)) throw new Error(`migration id ${id} appears twice`);
    seen.add(id);
  }
}
