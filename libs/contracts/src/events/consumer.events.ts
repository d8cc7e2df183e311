import { Type } from '@sinclair/typebox';
import { defineSharedEvent } from '../event-registry';
import { SERVICE_NAMES } from '../naming';

/** Longest admin reason kept; the same bound as a token revocation's reason. */
export const MAX_CONSUMER_ACTION_REASON = 1000;
/** The halt's error is cut to this many characters (an error message, not a dump). */
export const MAX_HALT_ERROR = 2000;

/** The message a halted projection was stuck on, as ConsumerStatus.halted reports it. */
const haltedMessage = {
  /** The consuming service: also the owner of the event (checked on append). */
  service: Type.Union(SERVICE_NAMES.map((s) => Type.Literal(s))),
  /** The consumer definition's name, `<service>-<purpose>` (infra/nats/consumers.json). */
  consumer: Type.String({ minLength: 1, maxLength: 200 }),
  /** The stream the consumer reads (`publisher`, `scanner`...). */
  stream: Type.String({ minLength: 1, maxLength: 100 }),
  /** Stream sequence of the message it was halted on. */
  streamSequence: Type.Integer({ minimum: 1 }),
  /** Its NATS subject (`<instance>.<service>.<aggregate>.<Type>`). */
  subject: Type.String({ minLength: 1, maxLength: 512 }),
  /** The halted message's event id and type, when its envelope could be read. */
  eventId: Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()]),
  eventType: Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()]),
  /** Why it could not be applied (the projection's error, cut to MAX_HALT_ERROR). */
  haltError: Type.String({ maxLength: MAX_HALT_ERROR }),
  /** JetStream's delivery count when it halted. */
  deliveries: Type.Integer({ minimum: 0 }),
  haltedSince: Type.String({ format: 'date-time' }),
};

/**
 * An admin had a halted projection skip the message it was stuck on (`POST
 * /api/v1/admin/consumers/{name}/skip`): its effect is never applied by that consumer (a skipped
 * TokenRevoked leaves the token valid at that service). Shared (defineSharedEvent): every service
 * runs consumers and emits this about its own, into its own store and stream
 * (`<instance>.<service>.consumer.ConsumerMessageSkipped`), before the checkpoint moves past
 * the message. A skip always gives a reason; the actor is the admin.
 */
export const ConsumerMessageSkipped = defineSharedEvent({
  aggregate: 'consumer',
  type: 'ConsumerMessageSkipped',
  schema: Type.Object(
    {
      ...haltedMessage,
      reason: Type.String({ minLength: 1, maxLength: MAX_CONSUMER_ACTION_REASON }),
    },
    { additionalProperties: false },
  ),
});

/**
 * An admin or operator resumed a halted projection (`POST .../resume`): the message it was stuck
 * on is retried with a fresh attempt count. Recorded like a skip, before the retry, so the log
 * shows who decided the cause was fixed; the reason is optional (a retry loses nothing).
 */
export const ConsumerResumed = defineSharedEvent({
  aggregate: 'consumer',
  type: 'ConsumerResumed',
  schema: Type.Object(
    {
      ...haltedMessage,
      reason: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_CONSUMER_ACTION_REASON })),
    },
    { additionalProperties: false },
  ),
});
