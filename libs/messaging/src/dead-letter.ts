import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { headers as createHeaders } from '@nats-io/nats-core';
import { deadLetterSubject } from '@toolport/contracts';

export const FAILURE_REASON_HEADER = 'Toolport-Failure-Reason';
export const ORIGINAL_SUBJECT_HEADER = 'Toolport-Original-Subject';
export const ORIGINAL_STREAM_HEADER = 'Toolport-Original-Stream';
export const ORIGINAL_SEQUENCE_HEADER = 'Toolport-Original-Sequence';
export const DELIVERIES_HEADER = 'Toolport-Deliveries';
export const CONSUMER_HEADER = 'Toolport-Consumer';

/**
 * Copies a message a work consumer gave up on to `<instance>.dlq.<consumer>`, with the original
 * body and headers plus why and where it failed; resolves once the DLQ stream stored it.
 * JetStream's own `Nats-*` headers are not copied: the original `Nats-Msg-Id` (the event id)
 * would make the DLQ stream drop the same event dead-lettered by a second consumer. The DLQ
 * message gets its own id, per consumer and original sequence, so a retried dead-letter publish
 * is stored once.
 */
export async function publishDeadLetter(
  js: JetStreamClient,
  instance: string,
  consumer: string,
  msg: JsMsg,
  reason: string,
  deliveries: number,
): Promise<void> {
  const headers = createHeaders();
  for (const [key, values] of msg.headers ?? []) {
    if (key.toLowerCase().startsWith('nats-')) continue;
    for (const value of values) headers.append(key, value);
  }
  // Header values cannot hold line breaks; keep the reason to one bounded line.
  headers.set(FAILURE_REASON_HEADER, reason.replace(/[\r\n]+/g, ' ').slice(0, 1000));
  headers.set(ORIGINAL_SUBJECT_HEADER, msg.subject);
  headers.set(ORIGINAL_STREAM_HEADER, msg.info.stream);
  headers.set(ORIGINAL_SEQUENCE_HEADER, String(msg.info.streamSequence));
  headers.set(DELIVERIES_HEADER, String(deliveries));
  headers.set(CONSUMER_HEADER, consumer);
  await js.publish(deadLetterSubject(instance, consumer), msg.data, {
    headers,
    msgID: `${consumer}:${msg.info.stream}:${msg.info.streamSequence}`,
  });
}
