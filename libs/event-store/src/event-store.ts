import { type CommandContext, type EventEnvelope, ToolportError } from '@toolport/contracts';

/** An event as appended by a command: the store fills in its metadata. */
export interface NewEvent<TType extends string = string, TData = unknown> {
  type: TType;
  data: TData;
}

/** An event as stored: its envelope plus its place in the store's global order. */
export interface RecordedEvent<TType extends string = string, TData = unknown> extends EventEnvelope<TType, TData> {
  /** Position in the service's `events` table; strictly increasing in commit order. */
  globalPosition: number;
  recordedAt: string;
}

/**
 * `'no_stream'`: the stream must not exist yet; a number: the stream's current version
 * must equal it (0 is the same as `'no_stream'`); `'any'`: no check (use sparingly).
 */
export type ExpectedVersion = number | 'no_stream' | 'any';

export interface AppendResult {
  /** The stream version after the append (the last appended event's `streamVersion`). */
  nextExpectedVersion: number;
  /** Global position of the last appended event. */
  lastGlobalPosition: number;
  events: RecordedEvent[];
}

/**
 * A `conflict` ToolportError, so a conflict that survives `handle()`'s retries reaches HTTP
 * clients as 409 problem details instead of a 500.
 */
export class WrongExpectedVersionError extends ToolportError {
  declare readonly code: 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super('conflict', 'WRONG_EXPECTED_VERSION', `stream ${streamId} is at version ${actual}, expected ${String(expected)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

export interface ReadAllOptions {
  /** Read events with `globalPosition` strictly greater than this (0 = from the start). */
  after: number;
  limit: number;
}

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
  /** Who, why and when: becomes each event's metadata. */
  context: CommandContext;
}

export interface EventStore {
  /**
   * Appends atomically: every event or none. Each event is validated (type, data, metadata)
   * before anything is written. With no events it only checks `expectedVersion` and returns
   * the stream's current version and its last event's position (0 for a missing stream).
   */
  append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  /** All events of one stream in version order (empty if the stream does not exist). */
  readStream(streamId: string): Promise<RecordedEvent[]>;
  /** Events of every stream in global-position order. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
}
