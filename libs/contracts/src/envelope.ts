import { Type, type Static } from '@sinclair/typebox';

/** UUIDv7: time-ordered, so event ids sort roughly by creation time (RFC 9562 §5.7). */
export const UUID_V7_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';
/** W3C Trace Context `traceparent`, version 00 (https://www.w3.org/TR/trace-context/#traceparent-header). */
export const TRACEPARENT_PATTERN = '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$';

export const ActorSchema = Type.Object(
  {
    /** `user`: a person through a token exchange; `token`: an admin-issued API token (robot);
     *  `service`: a Toolport service acting on its own (a scheduled probe, a reconciler);
     *  `anonymous`: development-only anonymous auth. */
    kind: Type.Union([Type.Literal('user'), Type.Literal('token'), Type.Literal('service'), Type.Literal('anonymous')]),
    id: Type.String({ minLength: 1, maxLength: 512 }),
  },
  { additionalProperties: false },
);
export type Actor = Static<typeof ActorSchema>;

export const EventMetadataSchema = Type.Object(
  {
    eventId: Type.String({ pattern: UUID_V7_PATTERN }),
    streamId: Type.String({ minLength: 1, maxLength: 512 }),
    streamVersion: Type.Integer({ minimum: 1 }),
    occurredAt: Type.String({ format: 'date-time' }),
    actor: ActorSchema,
    correlationId: Type.String({ minLength: 1, maxLength: 128 }),
    causationId: Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()]),
    traceparent: Type.Union([Type.String({ pattern: TRACEPARENT_PATTERN }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type EventMetadata = Static<typeof EventMetadataSchema>;

/** What travels: a plain object, the same in Postgres, on NATS and in a consumer. */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  type: TType;
  data: TData;
  metadata: EventMetadata;
}

/** Who/why/when for a command: given to `handle()` and turned into metadata at append. */
export interface CommandContext {
  actor: Actor;
  correlationId: string;
  causationId?: string | null;
  traceparent?: string | null;
  /** Time comes in with the command: aggregates never read the clock. */
  now: Date;
}
