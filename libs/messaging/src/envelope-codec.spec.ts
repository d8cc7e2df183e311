import type { RecordedEvent } from '@toolport/event-store';
import { decodeEventMessage, encodeEventMessage, EventDecodeError, EVENT_TYPE_HEADER, TRACEPARENT_HEADER } from './envelope-codec';

const event: RecordedEvent = {
  type: 'TokenRevoked',
  data: { tokenId: 't-1', expiresAt: '2031-01-01T00:00:00.000Z' },
  metadata: {
    eventId: '01890a5d-ac96-774b-bcce-b302099a8057',
    streamId: 'token-1',
    streamVersion: 2,
    occurredAt: '2030-01-01T00:00:00.000Z',
    actor: { kind: 'user', id: 'alice' },
    correlationId: 'c-1',
    causationId: null,
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  },
  globalPosition: 42,
  recordedAt: '2030-01-01T00:00:00.001Z',
};

describe('event message codec', () => {
  it('round-trips the envelope with its position and sets type and trace headers', () => {
    const { payload, headers } = encodeEventMessage(event);
    expect(headers.get(EVENT_TYPE_HEADER)).toBe('TokenRevoked');
    expect(headers.get(TRACEPARENT_HEADER)).toBe(event.metadata.traceparent);
    const { recordedAt: _recordedAt, ...envelope } = event;
    expect(decodeEventMessage(payload)).toEqual(envelope);
  });

  it('sets no traceparent header when the event has none', () => {
    const { headers } = encodeEventMessage({ ...event, metadata: { ...event.metadata, traceparent: null } });
    expect(headers.has(TRACEPARENT_HEADER)).toBe(false);
  });

  it.each([
    ['not JSON', 'nope'],
    ['not an envelope', JSON.stringify({ hello: 'world' })],
    ['no position', JSON.stringify({ type: 'X', data: {}, metadata: { eventId: 'e' } })],
    ['null', 'null'],
  ])('rejects a body that is %s', (_label, body) => {
    expect(() => decodeEventMessage(new TextEncoder().encode(body))).toThrow(EventDecodeError);
  });
});
