import { pgSchemaName } from '@toolport/contracts';
import { createPool, ensureDatabase, runMigrations, withTransaction } from '@toolport/event-store';
import { destroyInstance, eventually, TEST_DATABASE_URL, testInstanceName } from '@toolport/testing';
import type { Pool } from 'pg';
import type { CatalogChange, CatalogChangeRecord } from './catalog-change';
import { CatalogChanges, changesChannel, recordChanges } from './catalog-changes';
import { catalogReadModelMigrations } from './read-model.migrations';

// The change feed's source: changes are emitted only once committed, in id order, once each,
// also across a lost listening connection.
const instance = testInstanceName('changes');
const schema = pgSchemaName(instance, 'catalog');
let pool: Pool;
let changes: CatalogChanges;
const received: CatalogChangeRecord[] = [];

const change = (version: string): CatalogChange => ({ kind: 'published', serverName: 'com.example/feed', version, at: '2030-01-01T00:00:00.000Z' });

beforeAll(async () => {
  await ensureDatabase(TEST_DATABASE_URL);
  pool = createPool(TEST_DATABASE_URL, { max: 6, applicationName: 'catalog-changes-test' });
  await runMigrations(pool, schema, catalogReadModelMigrations);
  await withTransaction(pool, (tx) => recordChanges(tx, schema, [change('0.0.1')]));
  changes = new CatalogChanges({ pool, schema, retryDelayMs: 100 });
  await changes.start();
  changes.subscribe((c) => received.push(c));
});

afterAll(async () => {
  await changes?.stop();
  await pool?.end();
  await destroyInstance(instance);
});

it('starts after what was stored before it, and emits committed changes in id order', async () => {
  expect(changes.latestId()).toBe(1);
  await withTransaction(pool, (tx) => recordChanges(tx, schema, [change('1.0.0'), change('1.0.1')]));
  await withTransaction(pool, (tx) => recordChanges(tx, schema, [change('1.0.2')]));
  await eventually(async () => (received.length === 3 ? true : undefined), { what: 'three changes' });
  expect(received.map((c) => [c.id, c.version])).toEqual([
    [2, '1.0.0'],
    [3, '1.0.1'],
    [4, '1.0.2'],
  ]);
  expect(await changes.since(2)).toEqual(received.slice(1));
});

it('never emits a change whose transaction rolled back, nor one before its commit', async () => {
  received.length = 0;
  await expect(
    withTransaction(pool, async (tx) => {
      await recordChanges(tx, schema, [change('2.0.0')]);
      throw new Error('projection failed');
    }),
  ).rejects.toThrow('projection failed');
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await recordChanges(client, schema, [change('2.0.1')]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toEqual([]);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  await eventually(async () => (received.length === 1 ? true : undefined), { what: 'the committed change' });
  expect(received[0]).toMatchObject({ version: '2.0.1' });
});

it('commits concurrent recorders in id order, so a reader never skips one', async () => {
  received.length = 0;
  await Promise.all(Array.from({ length: 20 }, (_, i) => withTransaction(pool, (tx) => recordChanges(tx, schema, [change(`3.0.${i}`)]))));
  await eventually(async () => (received.length === 20 ? true : undefined), { what: 'twenty changes' });
  const ids = received.map((c) => c.id);
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
  expect(new Set(ids).size).toBe(20);
});

it('reconnects after losing its connection and catches up on what it missed', async () => {
  received.length = 0;
  const { rows } = await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE query = $1', [`LISTEN "${changesChannel(schema)}"`]);
  expect(rows).toHaveLength(1);
  await pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
  await withTransaction(pool, (tx) => recordChanges(tx, schema, [change('4.0.0')]));
  await eventually(async () => (received.length === 1 ? true : undefined), { what: 'the change made while disconnected', timeoutMs: 5000 });
  await withTransaction(pool, (tx) => recordChanges(tx, schema, [change('4.0.1')]));
  await eventually(async () => (received.length === 2 ? true : undefined), { what: 'a change after reconnecting' });
  expect(received.map((c) => c.version)).toEqual(['4.0.0', '4.0.1']);
});
