import { randomUUID } from 'node:crypto';
import { TEST_DATABASE_URL, testInstanceName } from '@toolport/testing';
import { Client, type Notification, type Pool } from 'pg';
import { dropTestSchema, openTestSchema, sleep } from '../__fixtures__/postgres';
import { freshStreamId, registry, testContext, tokenIssued, tokenRevoked } from '../__fixtures__/test-events';
import { eventStoreContract } from '../event-store.contract';
import { WrongExpectedVersionError } from '../event-store';
import { eventsNotificationChannel, PostgresEventStore } from './postgres-event-store';

const schema = `${testInstanceName('es')}_es`;
let pool: Pool;
let store: PostgresEventStore;

beforeAll(async () => {
  pool = await openTestSchema(TEST_DATABASE_URL, schema);
  store = new PostgresEventStore({ pool, schema, registry });
});

afterAll(async () => {
  if (pool) await dropTestSchema(pool, schema);
});

describe('PostgresEventStore', () => {
  eventStoreContract(() => store);

  it('lets exactly one of two concurrent appends with the same expected version win', async () => {
    for (let round = 0; round < 10; round++) {
      const streamId = freshStreamId();
      await store.append(streamId, [tokenIssued('t1')], { expectedVersion: 'no_stream', context: testContext() });
      const outcomes = await Promise.allSettled([
        store.append(streamId, [tokenRevoked('t1', 'first')], { expectedVersion: 1, context: testContext() }),
        store.append(streamId, [tokenRevoked('t1', 'second')], { expectedVersion: 1, context: testContext() }),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const [rejected] = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(rejected!.reason).toBeInstanceOf(WrongExpectedVersionError);
      expect(rejected!.reason).toMatchObject({ streamId, expected: 1, actual: 2 });
      expect(await store.readStream(streamId)).toHaveLength(2);
    }
  });

  it('maps a unique violation from a writer that bypassed the lock to WrongExpectedVersionError', async () => {
    const streamId = freshStreamId();
    const intruder = await pool.connect();
    try {
      await intruder.query('BEGIN');
      await intruder.query(
        `INSERT INTO ${schema}.events (stream_id, stream_version, event_id, type, data, metadata)
         VALUES ($1, 1, $2, 'TokenIssued', '{}', '{}')`,
        [streamId, randomUUID()],
      );
      // The store sees version 0 (uncommitted rows are invisible), inserts, and waits on the unique index.
      const append = store.append(streamId, [tokenIssued('t1')], { expectedVersion: 'no_stream', context: testContext() });
      const settled = append.then(
        () => 'resolved',
        (e: unknown) => e,
      );
      await sleep(150);
      await intruder.query('COMMIT');
      const error = await settled;
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamId, expected: 'no_stream', actual: 1 });
    } finally {
      intruder.release();
    }
  });

  describe('appendInTransaction', () => {
    beforeAll(async () => {
      await pool.query(`CREATE TABLE ${schema}.side_effects (stream_id text PRIMARY KEY)`);
    });

    async function sideEffectExists(streamId: string): Promise<boolean> {
      return (await pool.query(`SELECT 1 FROM ${schema}.side_effects WHERE stream_id = $1`, [streamId])).rowCount === 1;
    }

    it('commits and rolls back together with the caller’s own writes', async () => {
      for (const outcome of ['COMMIT', 'ROLLBACK'] as const) {
        const streamId = freshStreamId();
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query(`INSERT INTO ${schema}.side_effects (stream_id) VALUES ($1)`, [streamId]);
          const result = await store.appendInTransaction(client, streamId, [tokenIssued('t1')], {
            expectedVersion: 'no_stream',
            context: testContext(),
          });
          expect(result.nextExpectedVersion).toBe(1);
          await client.query(outcome);
        } finally {
          client.release();
        }
        expect(await sideEffectExists(streamId)).toBe(outcome === 'COMMIT');
        expect(await store.readStream(streamId)).toHaveLength(outcome === 'COMMIT' ? 1 : 0);
      }
    });

    it('refuses a client with no open transaction and writes nothing', async () => {
      const streamId = freshStreamId();
      const client = await pool.connect();
      try {
        await expect(
          store.appendInTransaction(client, streamId, [tokenIssued('t1')], { expectedVersion: 'any', context: testContext() }),
        ).rejects.toThrow(/needs an open transaction/);
      } finally {
        client.release();
      }
      expect(await store.readStream(streamId)).toEqual([]);
    });

    it('holds the append lock until the caller commits, so later appends get later positions', async () => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const first = await store.appendInTransaction(client, freshStreamId(), [tokenIssued('t1')], {
          expectedVersion: 'no_stream',
          context: testContext(),
        });
        let secondDone = false;
        const second = store.append(freshStreamId(), [tokenIssued('t2')], { expectedVersion: 'no_stream', context: testContext() });
        void second.then(() => (secondDone = true));
        await sleep(200);
        expect(secondDone).toBe(false);
        await client.query('COMMIT');
        expect((await second).lastGlobalPosition).toBeGreaterThan(first.lastGlobalPosition);
      } finally {
        client.release();
      }
    });
  });

  describe('notifications', () => {
    let listener: Client;
    const received: Notification[] = [];

    beforeAll(async () => {
      listener = new Client({ connectionString: TEST_DATABASE_URL });
      await listener.connect();
      listener.on('notification', (n) => received.push(n));
      await listener.query(`LISTEN ${eventsNotificationChannel(schema)}`);
    });

    afterAll(async () => {
      await listener?.end();
    });

    async function waitForPayload(payload: string, timeoutMs: number): Promise<Notification | undefined> {
      for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(10)) {
        const found = received.find((n) => n.payload === payload);
        if (found) return found;
      }
      return undefined;
    }

    it('NOTIFYs the last global position of an append on the schema’s channel', async () => {
      const result = await store.append(freshStreamId(), [tokenIssued('t1'), tokenRevoked('t1')], {
        expectedVersion: 'no_stream',
        context: testContext(),
      });
      const notification = await waitForPayload(String(result.lastGlobalPosition), 5_000);
      expect(notification).toMatchObject({ channel: eventsNotificationChannel(schema), payload: String(result.lastGlobalPosition) });
    });

    it('delivers the notification of appendInTransaction only at commit', async () => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await store.appendInTransaction(client, freshStreamId(), [tokenIssued('t1')], {
          expectedVersion: 'no_stream',
          context: testContext(),
        });
        expect(await waitForPayload(String(result.lastGlobalPosition), 200)).toBeUndefined();
        await client.query('COMMIT');
        expect(await waitForPayload(String(result.lastGlobalPosition), 5_000)).toBeDefined();
      } finally {
        client.release();
      }
    });
  });
});
