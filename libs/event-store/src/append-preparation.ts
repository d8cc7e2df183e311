import { type CommandContext, type EventMetadata, type EventRegistry, EventValidationError, uuidv7 } from '@toolport/contracts';
import { type ExpectedVersion, type NewEvent, WrongExpectedVersionError } from './event-store';

/** An event ready to be written: JSON-normalised data and complete, validated metadata. */
export interface PreparedEvent {
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

/**
 * Everything that can be checked before the store is touched, shared by both stores so they
 * reject the same appends: the expected version's shape, each event's type and data, and the
 * metadata built from the command context. `streamVersion` is provisional (the expected
 * version + 1 onwards); the store sets the real one under its lock with `withVersions`. Any
 * positive integer is valid there, so the validation done here still holds.
 */
export function prepareAppend(
  registry: EventRegistry,
  streamId: string,
  events: readonly NewEvent[],
  expectedVersion: ExpectedVersion,
  context: CommandContext,
): PreparedEvent[] {
  assertExpectedVersionShape(expectedVersion);
  if (events.length === 0) return [];
  const occurredAt = isoTime(context.now, events[0]!.type);
  const firstVersion = typeof expectedVersion === 'number' ? expectedVersion + 1 : 1;
  return events.map((event, index) => {
    const prepared: PreparedEvent = {
      type: event.type,
      data: toJson(event.type, event.data),
      metadata: {
        eventId: uuidv7(),
        streamId,
        streamVersion: firstVersion + index,
        occurredAt,
        // Only the two fields the metadata schema allows: a richer actor object must not make the event invalid.
        actor: { kind: context.actor.kind, id: context.actor.id },
        correlationId: context.correlationId,
        causationId: context.causationId ?? null,
        traceparent: context.traceparent ?? null,
      },
    };
    registry.assertValid(prepared);
    return prepared;
  });
}

/** The prepared events numbered after the stream's current version. */
export function withVersions(prepared: readonly PreparedEvent[], currentVersion: number): PreparedEvent[] {
  return prepared.map((event, index) => ({ ...event, metadata: { ...event.metadata, streamVersion: currentVersion + index + 1 } }));
}

export function assertExpectedVersion(streamId: string, expected: ExpectedVersion, current: number): void {
  if (expected === 'any') return;
  const required = expected === 'no_stream' ? 0 : expected;
  if (current !== required) throw new WrongExpectedVersionError(streamId, expected, current);
}

export function assertReadAllOptions(options: { after: number; limit: number }): void {
  if (!Number.isSafeInteger(options.after) || options.after < 0) {
    throw new RangeError(`readAll: after must be a non-negative integer, got ${String(options.after)}`);
  }
  if (!Number.isSafeInteger(options.limit) || options.limit < 1) {
    throw new RangeError(`readAll: limit must be a positive integer, got ${String(options.limit)}`);
  }
}

function assertExpectedVersionShape(expected: ExpectedVersion): void {
  if (expected === 'any' || expected === 'no_stream') return;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(`expectedVersion must be 'any', 'no_stream' or a non-negative integer, got ${String(expected)}`);
  }
}

/**
 * What Postgres' jsonb will hand back: `undefined` properties dropped, dates as strings. Doing it
 * before validation means the schema checks what is stored, and both stores return the same data.
 */
function toJson(type: string, data: unknown): unknown {
  if (data === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(data)) as unknown;
  } catch (error) {
    throw new EventValidationError(type, [{ path: 'data', message: `is not JSON-serialisable: ${(error as Error).message}` }]);
  }
}

function isoTime(now: Date, type: string): string {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new EventValidationError(type, [{ path: 'metadata.occurredAt', message: 'context.now is not a valid Date' }]);
  }
  return now.toISOString();
}
