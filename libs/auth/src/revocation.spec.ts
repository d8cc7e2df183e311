import type { Pool } from 'pg';
import { RevocationChecker } from './revocation';

/** Enough of pg.Pool for the checker: a revoked_tokens table in a Map, and a count of lookups. */
function fakePool(rows: Map<string, Date>) {
  const lookups: string[] = [];
  const pool = {
    query: async (sql: string, params: unknown[]) => {
      if (sql.startsWith('SELECT')) {
        const tokenId = params[0] as string;
        lookups.push(tokenId);
        const expiresAt = rows.get(tokenId);
        return { rows: expiresAt ? [{ expires_at: expiresAt }] : [], rowCount: expiresAt ? 1 : 0 };
      }
      if (sql.startsWith('DELETE')) {
        const now = params[0] as Date;
        let deleted = 0;
        for (const [id, expiresAt] of rows) if (expiresAt <= now) deleted += Number(rows.delete(id));
        return { rows: [], rowCount: deleted };
      }
      throw new Error(`unexpected SQL ${sql}`);
    },
  };
  return { pool: pool as unknown as Pool, lookups };
}

describe('RevocationChecker', () => {
  let now = new Date('2026-05-01T12:00:00Z');
  const clock = () => now;

  it('asks Postgres every time a token is not revoked: a revocation applied a moment later counts at once', async () => {
    const rows = new Map<string, Date>();
    const { pool, lookups } = fakePool(rows);
    const checker = new RevocationChecker({ pool, schema: 'svc', clock });
    expect(await checker.isRevoked('t1')).toBe(false);
    rows.set('t1', new Date('2026-05-02T00:00:00Z'));
    expect(await checker.isRevoked('t1')).toBe(true);
    expect(lookups).toEqual(['t1', 't1']);
  });

  it('remembers a revocation until the token would have expired, then asks again', async () => {
    const rows = new Map([['t2', new Date('2026-05-01T13:00:00Z')]]);
    const { pool, lookups } = fakePool(rows);
    const checker = new RevocationChecker({ pool, schema: 'svc', clock });
    expect(await checker.isRevoked('t2')).toBe(true);
    expect(await checker.isRevoked('t2')).toBe(true);
    expect(lookups).toEqual(['t2']);
    now = new Date('2026-05-01T13:00:00Z');
    rows.delete('t2');
    expect(await checker.isRevoked('t2')).toBe(false);
    expect(lookups).toEqual(['t2', 't2']);
  });

  it('purges rows and remembered revocations past their expiry', async () => {
    now = new Date('2026-05-01T12:00:00Z');
    const rows = new Map([
      ['old', new Date('2026-05-01T11:00:00Z')],
      ['live', new Date('2026-05-01T14:00:00Z')],
    ]);
    const { pool } = fakePool(rows);
    const checker = new RevocationChecker({ pool, schema: 'svc', clock });
    expect(await checker.purgeExpired()).toBe(1);
    expect([...rows.keys()]).toEqual(['live']);
  });

  it('refuses a schema name that is not a plain identifier', () => {
    const { pool } = fakePool(new Map());
    expect(() => new RevocationChecker({ pool, schema: 'svc; DROP TABLE x', clock })).toThrow(/schema name/);
  });
});
