import { JetStreamApiCodes, JetStreamApiError, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { type ConsumedEvent, decodeEventMessage } from '@toolport/messaging';

/** Where one projection's events are: a stream, a subject filter, and the last sequence to replay. */
export interface ReplaySource {
  /** Full stream name (`<INSTANCE>_PUBLISHER`). */
  stream: string;
  /** Full filter subject (`<instance>.publisher.server.>`). */
  filterSubject: string;
}

export interface ReplayPlan extends ReplaySource {
  /** The stream's last sequence when the plan was made: the replay stops there. */
  lastSequence: number;
  /** Messages matching the filter up to then (what a progress bar counts to). */
  messages: number;
}

/** Sizes a replay; a stream that does not exist (nothing was ever published) replays nothing. */
export async function planReplay(jsm: JetStreamManager, source: ReplaySource): Promise<ReplayPlan> {
  try {
    const info = await jsm.streams.info(source.stream, { subjects_filter: source.filterSubject });
    const messages = Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
    return { ...source, lastSequence: info.state.last_seq, messages };
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return { ...source, lastSequence: 0, messages: 0 };
    throw error;
  }
}

/**
 * The messages of a plan, in stream order, through an ordered (ephemeral, flow-controlled)
 * consumer: reads the owning service's stream, never its database. Stops after the plan's last
 * sequence even if the producer keeps publishing meanwhile.
 */
export async function* replayStream(js: JetStreamClient, plan: ReplayPlan): AsyncGenerator<{ sequence: number; event: ConsumedEvent }> {
  if (plan.messages === 0) return;
  const consumer = await js.consumers.get(plan.stream, { filter_subjects: plan.filterSubject });
  const messages = await consumer.consume({ max_messages: 512 });
  try {
    for await (const msg of messages) {
      const sequence = msg.info.streamSequence;
      if (sequence > plan.lastSequence) return;
      yield { sequence, event: decodeEventMessage(msg.data) };
      // `pending`: matching messages after this one. None left, or the planned end reached.
      if (sequence >= plan.lastSequence || msg.info.pending === 0) return;
    }
  } finally {
    await messages.close();
  }
}
