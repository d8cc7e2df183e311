import { headers as createHeaders, type MsgHdrs } from '@nats-io/nats-core';
import type { EventEnvelope, EventMetadata } from '@toolport/contracts';
import type { RecordedEvent } from '@toolport/event-store';

/** Headers Toolport sets on every event message, besides JetStream's `Nats-Msg-Id` (= eventId). */
export const EVENT_TYPE_HEADER = 'Toolport-Event-Type';
/** W3C trace context of the command that caused the event (NATS has no OTel instrumentation). */
export const TRACEPARENT_HEADER = 'traceparent';

/** An event as a consumer receives it: the envelope plus its position in the producer's store. */
export interface ConsumedEvent<TType extends string = string, TData = unknown> extends EventEnvelope<TType, TData> {
  globalPosition: number;
}

export class EventDecodeError extends Error {
  readonly code = 'EVENT_MESSAGE_INVALID';
}

/** The JSON body and headers of one event on NATS. */
export function encodeEventMessage(event: RecordedEvent): { payload: Uint8Array; headers: MsgHdrs } {
  const body: ConsumedEvent = { type: event.type, data: event.data, metadata: event.metadata, globalPosition: event.globalPosition };
  const headers = createHeaders();
  headers.set(EVENT_TYPE_HEADER, event.type);
  if (event.metadata.traceparent) headers.set(TRACEPARENT_HEADER, event.metadata.traceparent);
  return { payload: new TextEncoder().encode(JSON.stringify(body)), headers };
}

/**
 * Parses a message body back into an event. Checks the envelope's shape only: the data schema
 * belongs to the producer's version of the event, which may be newer than the consumer's.
 */
export function decodeEventMessage(payload: Uint8Array): ConsumedEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(payload));
  } catch (error) {
    throw new EventDecodeError(`message body is not JSON: ${(error as Error).message}`);
  }
  const candidate = parsed as Partial<ConsumedEvent> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.type !== 'string' ||
    !('data' in candidate) ||
    typeof candidate.metadata !== 'object' ||
    candidate.metadata === null ||
    typeof (candidate.metadata as Partial<EventMetadata>).eventId !== 'string' ||
    typeof candidate.globalPosition !== 'number'
  ) {
    throw new EventDecodeError('message body is not a Toolport event envelope (type, data, metadata.eventId, globalPosition)');
  }
  return candidate as ConsumedEvent;
}
