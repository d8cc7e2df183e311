import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { type EventRegistry, streamName } from '@toolport/contracts';
import type { RecordedEvent } from '@toolport/event-store';
import { currentTraceparent, SpanKind, withSpan } from '@toolport/observability';
import { decodeEventMessage, encodeEventMessage, TRACEPARENT_HEADER } from './envelope-codec';

/** What a stream already holds at its end: its last sequence and the last event position in it. */
interface StreamTail {
  lastSequence: number;
  lastPosition: number;
}

export interface PublishOutcome {
  /** Events JetStream stored now, per stream. */
  published: Map<string, number>;
  /** Events the stream already held (found at its tail, or reported duplicate by JetStream). */
  alreadyPublished: number;
}

/**
 * Publishes events, pipelined, so that each stream holds them in global-position order even
 * when a publish fails half-way through a batch.
 *
 * Each publish carries `expect.lastSequence` = the sequence the stream must be at just before
 * it (JetStream rejects it otherwise, error 10071). So if event k of a batch is not stored,
 * every later event of that stream in the batch is rejected too, and the retry republishes from
 * k: nothing overtakes k. `Nats-Msg-Id = eventId` makes JetStream drop a re-publish of an event
 * stored within the duplicate window; JetStream checks it before the expectation (measured on
 * NATS 2.9.10), so a duplicate is acknowledged as such rather than rejected.
 *
 * The expected sequences come from the stream's tail, read before the first batch and after any
 * failure: its last sequence and the position of the event stored there. Events at or below
 * that position are already in the stream and are not sent again. This catches a relay that
 * stopped between publishing and storing its checkpoint even after the duplicate window has
 * passed, which de-duplication alone would not. It relies on the relay being the stream's only
 * writer (the stream's subjects belong to one service, and one relay per schema leads).
 */
export class OrderedPublisher {
  private readonly tails = new Map<string, StreamTail>();

  constructor(
    private readonly js: JetStreamClient,
    private readonly instance: string,
    private readonly registry: EventRegistry,
  ) {}

  /** Forget what is known of stream tails; the next batch reads them again. */
  invalidate(): void {
    this.tails.clear();
  }

  async publish(events: readonly RecordedEvent[]): Promise<PublishOutcome> {
    const targets = events.map((event) => {
      const service = this.registry.definition(event.type).service;
      return { event, stream: streamName(this.instance, service), subject: this.registry.subjectFor(this.instance, event.type) };
    });
    for (const stream of new Set(targets.map((t) => t.stream))) {
      if (!this.tails.has(stream)) this.tails.set(stream, await this.readTail(stream));
    }

    const predicted = new Map([...this.tails].map(([stream, tail]) => [stream, tail.lastSequence]));
    let alreadyPublished = 0;
    const sends: { stream: string; ack: Promise<PubAck> }[] = [];
    for (const target of targets) {
      if (target.event.globalPosition <= this.tails.get(target.stream)!.lastPosition) {
        alreadyPublished++;
        continue;
      }
      const expected = predicted.get(target.stream)!;
      predicted.set(target.stream, expected + 1);
      sends.push({ stream: target.stream, ack: this.send(target.event, target.subject, expected) });
    }

    const settled = await Promise.allSettled(sends.map((s) => s.ack));
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) {
      this.invalidate();
      const failures = settled.filter((s) => s.status === 'rejected').length;
      throw new Error(`JetStream refused ${failures} of ${sends.length} publishes: ${(failure.reason as Error).message}`, {
        cause: failure.reason,
      });
    }

    const published = new Map<string, number>();
    settled.forEach((result, i) => {
      const ack = (result as PromiseFulfilledResult<PubAck>).value;
      const stream = sends[i]!.stream;
      if (ack.duplicate) {
        // Our sequence prediction no longer holds for this stream: read its tail again next time.
        alreadyPublished++;
        this.tails.delete(stream);
        return;
      }
      published.set(stream, (published.get(stream) ?? 0) + 1);
      const tail = this.tails.get(stream);
      if (tail) tail.lastSequence = ack.seq;
    });
    for (const target of targets) {
      const tail = this.tails.get(target.stream);
      if (tail) tail.lastPosition = Math.max(tail.lastPosition, target.event.globalPosition);
    }
    return { published, alreadyPublished };
  }

  private async send(event: RecordedEvent, subject: string, expectedLastSequence: number): Promise<PubAck> {
    const { payload, headers } = encodeEventMessage(event);
    const options = { msgID: event.metadata.eventId, headers, expect: { lastSequence: expectedLastSequence } };
    const parent = event.metadata.traceparent;
    if (!parent) return this.js.publish(subject, payload, options);
    // A producer span in the command's trace; consumers continue from it (the header is replaced).
    return withSpan(`publish ${event.type}`, { parent, kind: SpanKind.PRODUCER, attributes: { 'messaging.destination.name': subject } }, async () => {
      const traceparent = currentTraceparent();
      if (traceparent) headers.set(TRACEPARENT_HEADER, traceparent);
      return this.js.publish(subject, payload, options);
    });
  }

  private async readTail(name: string): Promise<StreamTail> {
    const stream = await this.js.streams.get(name);
    const lastSequence = (await stream.info()).state.last_seq;
    if (lastSequence === 0) return { lastSequence, lastPosition: 0 };
    const last = await stream.getMessage({ seq: lastSequence });
    if (!last) return { lastSequence, lastPosition: 0 };
    try {
      return { lastSequence, lastPosition: decodeEventMessage(last.data).globalPosition };
    } catch {
      // Not one of our envelopes (someone else wrote here): rely on Nats-Msg-Id de-duplication.
      return { lastSequence, lastPosition: 0 };
    }
  }
}
