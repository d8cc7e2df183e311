import {
  type ConsumerMessageSkipped,
  type ConsumerResumed,
  type DataOf,
  MAX_CONSUMER_ACTION_REASON,
  MAX_HALT_ERROR,
  type ServiceName,
  ToolportError,
} from '@toolport/contracts';
import type { NewEvent } from '@toolport/event-store';
import type { HaltedMessage } from '@toolport/messaging';

export type ConsumerAdminEvent =
  | NewEvent<'ConsumerMessageSkipped', DataOf<typeof ConsumerMessageSkipped>>
  | NewEvent<'ConsumerResumed', DataOf<typeof ConsumerResumed>>;

/** One stream per consumer, in the consuming service's store: its admin actions in order. */
export const consumerStreamId = (consumer: string): string => `consumer-${consumer}`;

/**
 * The admin's reason from the request body (`{"reason": "..."}`). A skip must give one: it loses
 * the message's effect at this service (a skipped TokenRevoked leaves the token valid here), so
 * the audit log says why, as a review says why it approves. A resume may (a retry loses nothing).
 */
export function parseConsumerActionReason(body: unknown, required: boolean): string | undefined {
  const reason = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)['reason'] : undefined;
  if (reason === undefined && !required) return undefined;
  const problem =
    typeof reason !== 'string' || reason.trim().length === 0
      ? required
        ? 'is required: say why the message may be skipped (it is never applied by this consumer)'
        : 'must be a non-empty string'
      : reason.length > MAX_CONSUMER_ACTION_REASON
        ? `must be at most ${MAX_CONSUMER_ACTION_REASON} characters`
        : null;
  if (problem !== null) {
    throw new ToolportError('invalid', 'CONSUMER_ACTION_INVALID', `The reason ${problem}`, [{ location: 'body.reason', message: problem }]);
  }
  return (reason as string).trim();
}

/** The event recording an admin's skip or resume of the message `halted`, before it takes effect. */
export function consumerAdminEvent(
  action: 'skip' | 'resume',
  at: { service: ServiceName; consumer: string; stream: string },
  halted: HaltedMessage,
  reason: string | undefined,
): ConsumerAdminEvent {
  const data = {
    service: at.service,
    consumer: at.consumer,
    stream: at.stream,
    streamSequence: halted.streamSequence,
    subject: halted.subject,
    eventId: halted.eventId,
    eventType: halted.eventType,
    haltError: halted.error.length > MAX_HALT_ERROR ? `${halted.error.slice(0, MAX_HALT_ERROR - 1)}…` : halted.error,
    deliveries: halted.deliveries,
    haltedSince: halted.since,
  };
  if (action === 'skip') {
    if (reason === undefined) throw new Error('a skip is recorded with its reason');
    return { type: 'ConsumerMessageSkipped', data: { ...data, reason } };
  }
  return { type: 'ConsumerResumed', data: { ...data, ...(reason !== undefined ? { reason } : {}) } };
}
