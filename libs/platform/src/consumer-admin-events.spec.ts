import { ALL_EVENTS, EventRegistry, MAX_HALT_ERROR, ToolportError } from '@toolport/contracts';
import type { HaltedMessage } from '@toolport/messaging';
import { consumerAdminEvent, consumerStreamId, parseConsumerActionReason } from './consumer-admin-events';

const halted: HaltedMessage = {
  streamSequence: 42,
  subject: 'toolport.publisher.token.TokenRevoked',
  eventType: 'TokenRevoked',
  eventId: '0196b3e0-0000-7000-8000-000000000001',
  error: 'duplicate key value violates unique constraint',
  deliveries: 5,
  since: '2026-05-01T12:00:00.000Z',
};
const at = { service: 'catalog' as const, consumer: 'catalog-token-revocations', stream: 'publisher' };
const catalogEvents = new EventRegistry(ALL_EVENTS, { owner: 'catalog' });

describe('parseConsumerActionReason', () => {
  it('requires a reason for a skip, trimmed', () => {
    expect(parseConsumerActionReason({ reason: '  revoked again by hand ' }, true)).toBe('revoked again by hand');
    for (const body of [undefined, {}, { reason: '' }, { reason: '   ' }, { reason: 7 }, [{ reason: 'x' }]]) {
      expect(() => parseConsumerActionReason(body, true)).toThrow(ToolportError);
    }
    try {
      parseConsumerActionReason({}, true);
    } catch (error) {
      expect(error).toMatchObject({ kind: 'invalid', code: 'CONSUMER_ACTION_INVALID', errors: [{ location: 'body.reason' }] });
    }
  });

  it('lets a resume go without one, but not with an empty or overlong one', () => {
    expect(parseConsumerActionReason(undefined, false)).toBeUndefined();
    expect(parseConsumerActionReason({}, false)).toBeUndefined();
    expect(parseConsumerActionReason({ reason: 'disk freed' }, false)).toBe('disk freed');
    expect(() => parseConsumerActionReason({ reason: '' }, false)).toThrow(/non-empty/);
    expect(() => parseConsumerActionReason({ reason: 'x'.repeat(1001) }, false)).toThrow(/at most 1000/);
  });
});

describe('consumerAdminEvent', () => {
  it('records a skip with the halted message, the consumer and the reason, valid for the consuming service only', () => {
    const event = consumerAdminEvent('skip', at, halted, 'revoked again by hand');
    expect(event).toEqual({
      type: 'ConsumerMessageSkipped',
      data: {
        service: 'catalog',
        consumer: 'catalog-token-revocations',
        stream: 'publisher',
        streamSequence: 42,
        subject: halted.subject,
        eventId: halted.eventId,
        eventType: 'TokenRevoked',
        haltError: halted.error,
        deliveries: 5,
        haltedSince: halted.since,
        reason: 'revoked again by hand',
      },
    });
    expect(catalogEvents.check(event)).toEqual([]);
    expect(new EventRegistry(ALL_EVENTS, { owner: 'scanner' }).check(event)).toEqual([expect.objectContaining({ path: 'data.service' })]);
    expect(catalogEvents.subjectFor('toolport', event.type)).toBe('toolport.catalog.consumer.ConsumerMessageSkipped');
    expect(consumerStreamId('catalog-token-revocations')).toBe('consumer-catalog-token-revocations');
  });

  it('records a resume with or without a reason, and an unreadable message as null id and type', () => {
    const unreadable = { ...halted, eventId: null, eventType: null };
    const resumed = consumerAdminEvent('resume', at, unreadable, undefined);
    expect(resumed).toMatchObject({ type: 'ConsumerResumed', data: { eventId: null, eventType: null } });
    expect('reason' in resumed.data).toBe(false);
    expect(catalogEvents.check(resumed)).toEqual([]);
    expect(consumerAdminEvent('resume', at, halted, 'disk freed').data).toMatchObject({ reason: 'disk freed' });
  });

  it('cuts a long halt error to the schema bound', () => {
    const event = consumerAdminEvent('skip', at, { ...halted, error: 'e'.repeat(MAX_HALT_ERROR * 2) }, 'why');
    expect(event.data.haltError).toHaveLength(MAX_HALT_ERROR);
    expect(catalogEvents.check(event)).toEqual([]);
  });
});
