import type { CommandContext, EventEnvelope } from '@toolport/contracts';

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

export class WrongExpectedVersionError extends Error {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at version ${actual}, expected ${String(expected)}`);
  }
}

export interface ReadAllOptions {
  /** Read events with `globalPosition` strictly greater than this (0 = from the start). */
  after: number;
  limit: number;
}

export interface EventStore {
  append(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedVersion: ExpectedVersion; context: CommandContext },
  ): Promise<AppendResult>;
  /** All events of one stream in version order (empty if the stream does not exist). */
  readStream(streamId: string): Promise<RecordedEvent[]>;
  /** Events of every stream in global-position order. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
}
