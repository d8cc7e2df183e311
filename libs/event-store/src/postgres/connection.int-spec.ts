import { TEST_DATABASE_URL, testInstanceName } from '@toolport/testing';
import { Client } from 'pg';
import { createPool, ensureDatabase } from './connection';

const database = `${testInstanceName('db')}_db`;
const urlFor = (name: string): string => {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

async function onMaintenanceDatabase<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: urlFor('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await onMaintenanceDatabase((c) => c.query(`DROP DATABASE IF EXISTS ${database}`));
});

describe('ensureDatabase', () => {
  it('creates a missing database, also when three processes try at once', async () => {
    await Promise.all([1, 2, 3].map(() => ensureDatabase(urlFor(database))));
    const found = await onMaintenanceDatabase((c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]));
    expect(found.rowCount).toBe(1);
    await ensureDatabase(urlFor(database));
  });

  it('refuses a URL that names no database', async () => {
    await expect(ensureDatabase(urlFor(''))).rejects.toThrow(/names no database/);
  });
});

describe('createPool', () => {
  it('connects with the given application name and size', async () => {
    const pool = createPool(urlFor(database), { max: 2, applicationName: 'toolport-connection-test' });
    try {
      const result = await pool.query<{ name: string; db: string }>("SELECT current_setting('application_name') AS name, current_database() AS db");
      expect(result.rows[0]).toEqual({ name: 'toolport-connection-test', db: database });
      expect(pool.options.max).toBe(2);
    } finally {
      await pool.end();
    }
  });

  it('reports an idle connection that dies instead of crashing the process', async () => {
    const errors: Error[] = [];
    const pool = createPool(urlFor(database), { max: 1, onIdleClientError: (e) => errors.push(e) });
    try {
      const pid = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await onMaintenanceDatabase((c) => c.query('SELECT pg_terminate_backend($1)', [pid]));
      for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(errors).toHaveLength(1);
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
    } finally {
      await pool.end();
    }
  });
});
