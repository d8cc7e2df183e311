import { createHash } from 'node:crypto';
import { canonicalJson } from '../transparency-log';
import { type AuditedEvent, auditRecordOf, subjectOf, UnauditableEventError } from './audit-record-of';

const event = (overrides: Partial<AuditedEvent> = {}, metadata: Partial<AuditedEvent['metadata']> = {}): AuditedEvent => ({
  type: 'VersionApproved',
  data: { serverName: 'io.x/y', version: '1.2.0', justification: 'fine', automatic: false },
  ...overrides,
  metadata: { eventId: '0199b6c0-0000-7000-8000-000000000001', streamId: 'review-io.x/y', occurredAt: '2025-03-01T10:00:00.000Z', actor: { kind: 'user', id: 'alice' }, ...metadata },
});

describe('subjectOf', () => {
  it('takes serverName and version from the data where present', () => {
    expect(subjectOf({ serverName: 'io.x/y', version: '1.0.0' })).toEqual({ serverName: 'io.x/y', version: '1.0.0' });
    expect(subjectOf({ serverName: 'io.x/y', latest: '1.0.0' })).toEqual({ serverName: 'io.x/y', version: null });
    expect(subjectOf({ namespace: 'com.acme/*' })).toBeNull();
    expect(subjectOf({ serverName: 42 })).toBeNull();
    expect(subjectOf(null)).toBeNull();
  });
});

describe('auditRecordOf', () => {
  it('records the envelope, subject, summary, digest and payload of an event', () => {
    const incoming = event();
    expect(auditRecordOf(incoming)).toEqual({
      eventId: incoming.metadata.eventId,
      type: 'VersionApproved',
      streamId: 'review-io.x/y',
      actor: { kind: 'user', id: 'alice' },
      occurredAt: '2025-03-01T10:00:00.000Z',
      subject: { serverName: 'io.x/y', version: '1.2.0' },
      summary: 'alice approved io.x/y 1.2.0: fine',
      payloadDigest: createHash('sha256').update(canonicalJson(incoming.data)).digest('hex'),
      payload: incoming.data,
    });
  });

  it('keeps only kind and id of the actor', () => {
    const record = auditRecordOf(event({}, { actor: { kind: 'user', id: 'alice', extra: 'x' } as never }));
    expect(record.actor).toEqual({ kind: 'user', id: 'alice' });
  });

  it('records an event type it has never heard of', () => {
    expect(auditRecordOf(event({ type: 'SomethingNew', data: { count: 1 } }))).toMatchObject({ type: 'SomethingNew', subject: null, summary: 'alice: SomethingNew on stream review-io.x/y' });
  });

  it.each([
    ['no actor', {}, { actor: undefined as never }, /metadata\.actor is not \{kind, id\}/],
    ['an unknown actor kind', {}, { actor: { kind: 'robot', id: 'x' } as never }, /metadata\.actor/],
    ['no event id', {}, { eventId: '' }, /metadata\.eventId is missing/],
    ['an unparseable time', {}, { occurredAt: 'yesterday' }, /metadata\.occurredAt is not a date-time/],
    ['no type', { type: '' }, {}, /type is missing/],
  ])('refuses an envelope with %s (the projection halts on it)', (_what, overrides, metadata, message) => {
    expect(() => auditRecordOf(event(overrides, metadata))).toThrow(UnauditableEventError);
    expect(() => auditRecordOf(event(overrides, metadata))).toThrow(message);
  });
});
