import { TEST_DATABASE_URL, testInstanceName } from '@toolport/testing';
import type { Pool } from 'pg';
import { createPool, ensureDatabase } from './connection';
import { type Migration, runMigrations } from './migrations';

const instance = testInstanceName('migrate');
const schemas: string[] = [];
const newSchema = (label: string): string => {
  const schema = `${instance}_${label}`;
  schemas.push(schema);
  return schema;
};
let pools: Pool[];

// Deliberately not idempotent (plain CREATE TABLE, an INSERT): applying one twice would fail or show.
const migrations: Migration[] = [
  { id: '0001-things', up: (s) => `CREATE TABLE ${s}.things (id int PRIMARY KEY, note text)` },
  { id: '0002-seed', up: (s) => `INSERT INTO ${s}.things (id, note) VALUES (1, 'seed'); INSERT INTO ${s}.things (id) VALUES (2)` },
  { id: '0003-others', up: (s) => `CREATE TABLE ${s}.others (id int)` },
];

beforeAll(async () => {
  await ensureDatabase(TEST_DATABASE_URL);
  pools = [1, 2, 3].map((n) => createPool(TEST_DATABASE_URL, { max: 2, applicationName: `${instance}_${n}` }));
});

afterAll(async () => {
  if (!pools) return;
  for (const schema of schemas) await pools[0]!.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await Promise.all(pools.map((p) => p.end()));
});

const count = async (pool: Pool, sql: string): Promise<number> => Number((await pool.query<{ n: string }>(sql)).rows[0]!.n);

it('applies each migration exactly once when three pools run them at the same time on a new schema', async () => {
  const schema = newSchema('race');
  const results = await Promise.all(pools.map((pool) => runMigrations(pool, schema, migrations)));
  expect(results.flat().sort()).toEqual(['0001-things', '0002-seed', '0003-others']);
  // Each pool applies its share in order.
  for (const applied of results) expect(applied).toEqual([...applied].sort());
  expect(await count(pools[0]!, `SELECT count(*) AS n FROM ${schema}.things`)).toBe(2);
  const recorded = await pools[0]!.query<{ id: string; applied_at: Date }>(`SELECT id, applied_at FROM ${schema}.schema_migrations ORDER BY id`);
  expect(recorded.rows.map((r) => r.id)).toEqual(['0001-things', '0002-seed', '0003-others']);
  expect(recorded.rows.every((r) => r.applied_at instanceof Date)).toBe(true);
});

it('is idempotent and applies only what was added since', async () => {
  const schema = newSchema('again');
  expect(await runMigrations(pools[0]!, schema, migrations)).toEqual(['0001-things', '0002-seed', '0003-others']);
  expect(await runMigrations(pools[1]!, schema, migrations)).toEqual([]);
  const more = [...migrations, { id: '0004-more', up: (s: string) => `ALTER TABLE ${s}.others ADD COLUMN name text` }];
  const again = await Promise.all(pools.map((pool) => runMigrations(pool, schema, more)));
  expect(again.flat()).toEqual(['0004-more']);
  expect(await count(pools[0]!, `SELECT count(*) AS n FROM ${schema}.things`)).toBe(2);
});

it('stops at a failing migration: it and the ones after it stay unapplied, earlier ones stay applied', async () => {
  const schema = newSchema('broken');
  const broken: Migration[] = [
    migrations[0]!,
    { id: '0002-broken', up: (s) => `INSERT INTO ${s}.things (id) VALUES (7); SELECT 1 / 0` },
    migrations[2]!,
  ];
  await expect(runMigrations(pools[0]!, schema, broken)).rejects.toThrow(`migration 0002-broken on schema ${schema} failed: division by zero`);
  const recorded = await pools[0]!.query<{ id: string }>(`SELECT id FROM ${schema}.schema_migrations`);
  expect(recorded.rows.map((r) => r.id)).toEqual(['0001-things']);
  expect(await count(pools[0]!, `SELECT count(*) AS n FROM ${schema}.things`)).toBe(0);
  expect(await count(pools[0]!, `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = '${schema}' AND table_name = 'others'`)).toBe(0);
});

it('refuses invalid schema names and duplicate ids before touching the database', async () => {
  await expect(runMigrations(pools[0]!, 'Bad-Schema', migrations)).rejects.toThrow(/schema name "Bad-Schema" is invalid/);
  await expect(runMigrations(pools[0]!, 'x; DROP SCHEMA public', migrations)).rejects.toThrow(/invalid/);
  const schema = newSchema('dupes');
  await expect(runMigrations(pools[0]!, schema, [migrations[0]!, migrations[0]!])).rejects.toThrow(/0001-things appears twice/);
  expect(await count(pools[0]!, `SELECT count(*) AS n FROM pg_namespace WHERE nspname = '${schema}'`)).toBe(0);
});
