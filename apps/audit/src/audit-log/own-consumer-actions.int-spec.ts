import { jetstreamManager } from '@nats-io/jetstream';
import { type ConsumerResumed, type DataOf, durableName, streamName } from '@toolport/contracts';
import { EVENT_STORE, type EventStore } from '@toolport/event-store';
import { eventually, testInstanceName } from '@toolport/testing';
import { admin } from '../__fixtures__/audit-fixtures';
import { type AuditTestEnv, contextFor, startAudit } from '../__fixtures__/audit-test-env';
import type { RecordsPage } from '../audit-api/audit-records.controller';

// Issue 7: admin actions on a halted consumer are recorded by the consuming service. For the
// audit service's own consumers, the record goes to its own stream, read by a consumer of its
// own (`audit.consumer.>`, NATS 2.9 takes one filter), while its TreeHeadSigned stay out of the
// log (a record per head would make the next head). The event is appended to the audit
// service's store as its consumers-admin endpoint does (halting a real audit projection would
// need a broken database); libs/messaging and apps/toolport/consumer-halt test that part.
const instance = testInstanceName('ownacts');
let env: AuditTestEnv;

beforeAll(async () => {
  env = await startAudit('ownacts', { TOOLPORT_AUDIT_STH_EVERY_RECORDS: '1', TOOLPORT_AUDIT_STH_INTERVAL_SECONDS: '1' }, instance);
}, 60_000);

afterAll(async () => {
  await env?.close();
});

it('records a resume of one of its own consumers, with the admin as actor, and never its own tree heads', async () => {
  const data: DataOf<typeof ConsumerResumed> = {
    service: 'audit',
    consumer: 'audit-publisher-events',
    stream: 'publisher',
    streamSequence: 7,
    subject: `${instance}.publisher.server.VersionPublished`,
    eventId: '0196b3e0-0000-7000-8000-000000000007',
    eventType: 'VersionPublished',
    haltError: 'could not extend file: No space left on device',
    deliveries: 5,
    haltedSince: new Date().toISOString(),
    reason: 'disk grown',
  };
  const store = env.app.get<symbol, EventStore>(EVENT_STORE);
  await store.append('consumer-audit-publisher-events', [{ type: 'ConsumerResumed', data }], {
    expectedVersion: 'any',
    context: contextFor({ kind: 'token', id: 'bootstrap-admin' }),
  });
  const [record] = await eventually(
    async () => {
      const items = (await env.request({ method: 'GET', url: '/api/v1/audit/records?type=ConsumerResumed', headers: admin })).json<RecordsPage>().items;
      return items.length > 0 ? items : undefined;
    },
    { what: 'the resume in the audit log' },
  );
  expect(record).toMatchObject({ actor: { kind: 'token', id: 'bootstrap-admin' }, payload: data });
  expect(record!.summary).toBe('token bootstrap-admin resumed audit-publisher-events (audit), retrying VersionPublished 0196b3e0-0000-7000-8000-000000000007 at stream sequence 7: disk grown');

  // A head was signed over that record (every record, here) and relayed to the same stream, and
  // both consumers of that stream have nothing left to handle: yet the log holds one record.
  const jsm = await jetstreamManager(env.nc);
  const stream = streamName(instance, 'audit');
  await eventually(
    async () => {
      const { rows } = await env.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${instance}_audit.events WHERE type = 'TreeHeadSigned'`);
      const published = (await jsm.streams.info(stream)).state.messages;
      if (rows[0]!.n === 0 || published < rows[0]!.n + 1) return undefined;
      for (const consumer of ['audit-audit-events', 'audit-audit-consumer-actions']) {
        const info = await jsm.consumers.info(stream, durableName(instance, consumer));
        if (info.num_pending > 0 || info.num_ack_pending > 0) return undefined;
      }
      return true;
    },
    { what: 'a signed tree head relayed and the audit stream consumed' },
  );
  const all = (await env.request({ method: 'GET', url: '/api/v1/audit/records?limit=100', headers: admin })).json<RecordsPage>().items;
  expect(all.map((r) => r.type)).toEqual(['ConsumerResumed']);
});
