import { createPool, ensureDatabase, runMigrations } from '@toolport/event-store';
import { TEST_DATABASE_URL, testInstanceName } from '@toolport/testing';
import type { Pool, PoolClient } from 'pg';
import { AUDIT_TABLES, auditLogMigrations } from './audit-log.migrations';
import { asAuditWriter, auditWriterRole, withAuditWriter } from './audit-writer-role';

// Issue 7 "the database role the service uses can only insert and select on the audit tables
// (no update, no delete), and a trigger rejects updates and deletes besides".
const schema = `${testInstanceName('auditstore')}_audit`;
const role = auditWriterRole(schema);
let pool: Pool;

const insertRecord = (tx: PoolClient | Pool, seq: number) =>
  tx.query(
    `INSERT INTO ${schema}.audit_records (seq, event_id, type, stream_id, actor_kind, actor_id, occurred_at, occurred_at_ts, summary, payload_digest, payload, leaf_hash)
     VALUES ($1, $2, 'TokenRevoked', 'token-1', 'token', 'ci-bot', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', 'token ci-bot revoked token t1', $3, '{}', $4)`,
    [seq, `event-${seq}`, 'a'.repeat(64), Buffer.alloc(32, seq)],
  );

/** Runs `sql` in a transaction that is always rolled back, optionally as the writer role. */
async function attempt(sql: string, options: { asWriter?: boolean; withoutTriggers?: boolean } = {}): Promise<{ code?: string; message: string } | null> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    if (options.withoutTriggers) for (const table of AUDIT_TABLES) await client.query(`ALTER TABLE ${schema}.${table} DISABLE TRIGGER USER`);
    if (options.asWriter) await client.query(`SET LOCAL ROLE ${role}`);
    await client.query(sql);
    return null;
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

beforeAll(async () => {
  await ensureDatabase(TEST_DATABASE_URL);
  pool = createPool(TEST_DATABASE_URL, { max: 3 });
  await runMigrations(pool, schema, auditLogMigrations);
  await withAuditWriter(pool, schema, (tx) => insertRecord(tx, 1));
});

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.query(`DROP ROLE IF EXISTS ${role}`);
  await pool.end();
});

const changes = (table: string) => [
  `UPDATE ${schema}.${table} SET ${table === 'audit_records' ? 'summary' : table === 'tree_heads' ? 'root_hash' : 'key_id'} = 'x'`,
  `DELETE FROM ${schema}.${table}`,
  `TRUNCATE ${schema}.${table}`,
];

describe('the writer role', () => {
  it('is NOLOGIN and holds exactly SELECT and INSERT on the audit tables', async () => {
    const { rows } = await pool.query<{ rolcanlogin: boolean; rolsuper: boolean }>('SELECT rolcanlogin, rolsuper FROM pg_roles WHERE rolname = $1', [role]);
    expect(rows).toEqual([{ rolcanlogin: false, rolsuper: false }]);
    const grants = await pool.query<{ table_name: string; privilege_type: string }>(
      `SELECT table_name, privilege_type FROM information_schema.role_table_grants WHERE grantee = $1 AND table_schema = $2 ORDER BY 1, 2`,
      [role, schema],
    );
    expect(grants.rows).toEqual(
      [...AUDIT_TABLES].sort().flatMap((table_name) => [
        { table_name, privilege_type: 'INSERT' },
        { table_name, privilege_type: 'SELECT' },
      ]),
    );
    for (const table of AUDIT_TABLES) {
      const { rows: privileges } = await pool.query<{ update: boolean; delete: boolean; truncate: boolean }>(
        `SELECT has_table_privilege($1, $2, 'UPDATE') AS update, has_table_privilege($1, $2, 'DELETE') AS delete, has_table_privilege($1, $2, 'TRUNCATE') AS truncate`,
        [role, `${schema}.${table}`],
      );
      expect(privileges[0]).toEqual({ update: false, delete: false, truncate: false });
    }
  });

  it('can insert and select', async () => {
    const count = await withAuditWriter(pool, schema, async (tx) => {
      await insertRecord(tx, 2);
      return (await tx.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.audit_records`)).rows[0]!.n;
    });
    expect(Number(count)).toBe(2);
  });

  it.each(AUDIT_TABLES)('cannot update, delete or truncate %s, even with the trigger disabled by a superuser', async (table) => {
    for (const sql of changes(table)) {
      for (const withoutTriggers of [false, true]) {
        const failure = await attempt(sql, { asWriter: true, withoutTriggers });
        expect({ sql, withoutTriggers, failure }).toEqual({ sql, withoutTriggers, failure: { code: '42501', message: expect.stringMatching(/^permission denied for table/) } });
      }
    }
  });

  it('cannot disable the trigger or drop the table', async () => {
    for (const sql of [`ALTER TABLE ${schema}.audit_records DISABLE TRIGGER USER`, `DROP TABLE ${schema}.audit_records`]) {
      const failure = await attempt(sql, { asWriter: true });
      expect({ sql, code: failure?.code }).toEqual({ sql, code: expect.stringMatching(/^42501$/) });
    }
  });

  it('is left at the end of asAuditWriter, so later statements of the transaction run as the session user again', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const inside = await asAuditWriter(client, schema, async (tx) => (await tx.query<{ u: string }>('SELECT current_user AS u')).rows[0]!.u);
      const after = (await client.query<{ u: string }>('SELECT current_user AS u')).rows[0]!.u;
      await client.query('ROLLBACK');
      expect(inside).toBe(role);
      expect(after).toBe('postgres');
    } finally {
      client.release();
    }
  });

  it('does not outlive a failed transaction on a pooled connection', async () => {
    await expect(withAuditWriter(pool, schema, (tx) => tx.query(`UPDATE ${schema}.audit_records SET summary = 'x'`))).rejects.toThrow(/permission denied/);
    const users = await Promise.all([1, 2, 3].map(async () => (await pool.query<{ u: string }>('SELECT current_user AS u')).rows[0]!.u));
    expect(users).toEqual(['postgres', 'postgres', 'postgres']);
  });
});

describe('the append-only trigger', () => {
  it.each(AUDIT_TABLES)('stops the table owner (here a superuser) from updating, deleting or truncating %s', async (table) => {
    const owner = await pool.query<{ tableowner: string }>('SELECT tableowner FROM pg_tables WHERE schemaname = $1 AND tablename = $2', [schema, table]);
    expect(owner.rows[0]!.tableowner).toBe('postgres');
    for (const sql of changes(table)) {
      const failure = await attempt(sql);
      expect({ sql, failure }).toEqual({ sql, failure: { code: '42501', message: expect.stringContaining('the audit log is append-only') } });
    }
  });

  it('lets the owner change a record only after disabling the trigger (what verify must then catch)', async () => {
    expect(await attempt(`UPDATE ${schema}.audit_records SET summary = 'forged' WHERE seq = 1`, { withoutTriggers: true })).toBeNull();
  });

  it('keeps the event id unique, so a second record of one event cannot be inserted', async () => {
    const failure = await withAuditWriter(pool, schema, (tx) =>
      tx.query(
        `INSERT INTO ${schema}.audit_records (seq, event_id, type, stream_id, actor_kind, actor_id, occurred_at, occurred_at_ts, summary, payload_digest, payload, leaf_hash)
         SELECT 99, event_id, type, stream_id, actor_kind, actor_id, occurred_at, occurred_at_ts, summary, payload_digest, payload, leaf_hash FROM ${schema}.audit_records WHERE seq = 1`,
      ),
    ).catch((error: { constraint?: string }) => error.constraint);
    expect(failure).toBe('audit_records_event_id_unique');
  });
});
