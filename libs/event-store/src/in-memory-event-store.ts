import type { EventRegistry } from '@toolport/contracts';
import { assertExpectedVersion, assertReadAllOptions, prepareAppend, withVersions } from './append-preparation';
import type { AppendOptions, AppendResult, EventStore, NewEvent, ReadAllOptions, RecordedEvent } from './event-store';

export interface InMemoryEventStoreOptions {
  /** Validates every event's data and metadata before anything is stored, as in Postgres. */
  registry: EventRegistry;
  /** Source of `recordedAt` (Postgres uses its transaction time); the real clock by default. */
  clock?: () => Date;
}

/**
 * The event store's twin for unit tests of pure logic: same validation, versioning and
 * ordering rules as PostgresEventStore (both pass event-store.contract.ts), kept in one array.
 * Events are copied in and out, so a test cannot change what is stored by mutating a result.
 */
export class InMemoryEventStore implements EventStore {
  private readonly registry: EventRegistry;
  private readonly clock: () => Date;
  private readonly events: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();

  constructor(options: InMemoryEventStoreOptions) {
    this.registry = options.registry;
    this.clock = options.clock ?? (() => new Date());
  }

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const prepared = prepareAppend(this.registry, streamId, events, options.expectedVersion, options.context);
    // From here to the end nothing awaits, so the check and the write are atomic.
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length;
    assertExpectedVersion(streamId, options.expectedVersion, current);
    if (prepared.length === 0) {
      return { nextExpectedVersion: current, lastGlobalPosition: stream[current - 1]?.globalPosition ?? 0, events: [] };
    }
    const recordedAt = this.clock().toISOString();
    const recorded = withVersions(prepared, current).map(
      (event, index): RecordedEvent => ({ ...event, globalPosition: this.events.length + index + 1, recordedAt }),
    );
    for (const event of recorded) {
      this.events.push(event);
      stream.push(event);
    }
    this.streams.set(streamId, stream);
    const last = recorded[recorded.length - 1]!;
    return {
      nextExpectedVersion: last.metadata.streamVersion,
      lastGlobalPosition: last.globalPosition,
      events: structuredClone(recorded),
    };
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    return structuredClone(this.streams.get(streamId) ?? []);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    assertReadAllOptions(options);
    // Positions are 1..n without gaps, so `after` is also the index of the first event to return.
    return structuredClone(this.events.slice(options.after, options.after + options.limit));
  }
}
