import { TEST_DATABASE_URL, testInstanceName } from '@toolport/testing';
import type { Pool } from 'pg';
import { dropTestSchema, openTestSchema, sleep } from '../__fixtures__/postgres';
import { freshStreamId, registry, testContext, tokenIssued, tokenRevoked } from '../__fixtures__/test-events';
import type { RecordedEvent } from '../event-store';
import { PostgresEventStore } from './postgres-event-store';

/**
 * The relay reads `readAll({ after: lastSeen })` and never looks back. Without the append lock
 * an append that took a lower position but commits later is skipped forever. The writers here
 * hold their transaction open for a random moment after appending (as a caller of
 * appendInTransaction does with its own writes), which makes such late commits likely: with
 * the lock removed from PostgresEventStore this test fails (checked while writing it).
 */
const schema = `${testInstanceName('order')}_es`;
const WRITERS = 50;
let pool: Pool;
let store: PostgresEventStore;

beforeAll(async () => {
  pool = await openTestSchema(TEST_DATABASE_URL, schema, 26);
  store = new PostgresEventStore({ pool, schema, registry });
});

afterAll(async () => {
  if (pool) await dropTestSchema(pool, schema);
});

async function write(index: number): Promise<RecordedEvent[]> {
  const streamId = freshStreamId(`w${index}`);
  const events = index % 3 === 0 ? [tokenIssued(`t${index}`), tokenRevoked(`t${index}`)] : [tokenIssued(`t${index}`)];
  const options = { expectedVersion: 'no_stream' as const, context: testContext() };
  if (index % 2 === 0) return (await store.append(streamId, events, options)).events;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await store.appendInTransaction(client, streamId, events, options);
    await client.query('SELECT pg_sleep($1)', [Math.random() * 0.02]);
    await client.query('COMMIT');
    return result.events;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

it('a reader polling readAll(after: lastSeen) sees every event of concurrent appends exactly once, in order', async () => {
  const start = (await pool.query<{ p: string }>(`SELECT coalesce(max(global_position), 0) AS p FROM ${schema}.events`)).rows[0]!.p;
  let writersDone = false;
  const writers = Promise.all(Array.from({ length: WRITERS }, (_, i) => write(i))).finally(() => (writersDone = true));

  const seen: RecordedEvent[] = [];
  let lastSeen = Number(start);
  for (;;) {
    // Read the flag before the page: a page read after all writers committed is the final word.
    const finished = writersDone;
    const page = await store.readAll({ after: lastSeen, limit: 7 });
    for (const event of page) {
      expect(event.globalPosition).toBeGreaterThan(lastSeen);
      lastSeen = event.globalPosition;
      seen.push(event);
    }
    if (page.length === 0) {
      if (finished) break;
      await sleep(1);
    }
  }

  const appended = (await writers).flat();
  const seenIds = seen.map((e) => e.metadata.eventId);
  expect(new Set(seenIds).size).toBe(seenIds.length);
  const missed = appended.filter((e) => !seenIds.includes(e.metadata.eventId));
  expect(missed.map((e) => e.globalPosition)).toEqual([]);
  expect(seen.length).toBe(appended.length);
  expect(seen).toEqual([...appended].sort((a, b) => a.globalPosition - b.globalPosition));
});
