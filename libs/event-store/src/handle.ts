import type { CommandContext } from '@toolport/contracts';
import { type AppendOptions, type AppendResult, type EventStore, type NewEvent, type RecordedEvent, WrongExpectedVersionError } from './event-store';

/**
 * A pure aggregate (DESIGN.md "Aggregates"): `decide` turns a command and the current state
 * into events, `evolve` folds one event into the state. No I/O, no clock: time and lookups
 * come in with the command.
 */
/** `type` and `data` of each member of an event union, kept as a union so `switch (event.type)` narrows. */
export type EventShape<Event> = Event extends unknown ? Pick<Event & NewEvent, 'type' | 'data'> : never;

export interface Decider<State, Command, Event extends NewEvent> {
  initialState: () => State;
  evolve: (state: State, event: EventShape<Event>) => State;
  decide: (command: Command, state: State) => Event[];
}

export interface HandleOptions {
  /** How many times to reload and decide again after a concurrent append won (default 0). */
  retryOnConflict?: number;
  /**
   * Appends instead of `store.append`: for a command whose events must commit together with
   * other writes (a uniqueness claim, say), e.g. `withTransaction` + `appendInTransaction`.
   * A WrongExpectedVersionError it throws is retried like the store's.
   */
  append?: (streamId: string, events: readonly NewEvent[], options: AppendOptions) => Promise<AppendResult>;
}

export interface HandleResult<State> {
  /** The state after the new events. */
  state: State;
  /** What was appended (empty when `decide` returned nothing). */
  events: RecordedEvent[];
  /** The stream's version after this command. */
  nextExpectedVersion: number;
}

/**
 * Loads the stream, folds it with `evolve`, runs `decide` and appends the result with the
 * version it loaded as the expected version. A conflict means another writer appended in
 * between; since `decide` is pure, deciding again on the reloaded state is safe, which
 * `retryOnConflict` does. A command that decides nothing appends nothing.
 */
export async function handle<State, Command, Event extends NewEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<State, Command, Event>,
  command: Command,
  context: CommandContext,
  options: HandleOptions = {},
): Promise<HandleResult<State>> {
  const retries = options.retryOnConflict ?? 0;
  if (!Number.isSafeInteger(retries) || retries < 0) {
    throw new RangeError(`retryOnConflict must be a non-negative integer, got ${String(options.retryOnConflict)}`);
  }
  for (let attempt = 0; ; attempt++) {
    const history = await store.readStream(streamId);
    // The store validated each event against its type's schema when it was appended, so a
    // stored event's data has the shape its type promises.
    const state = history.reduce((s, event) => decider.evolve(s, event as unknown as EventShape<Event>), decider.initialState());
    const version = history.length === 0 ? 0 : history[history.length - 1]!.metadata.streamVersion;
    const decided = decider.decide(command, state);
    if (decided.length === 0) return { state, events: [], nextExpectedVersion: version };
    try {
      const appendOptions: AppendOptions = { expectedVersion: version === 0 ? 'no_stream' : version, context };
      const result = options.append ? await options.append(streamId, decided, appendOptions) : await store.append(streamId, decided, appendOptions);
      return { state: decided.reduce((s, e) => decider.evolve(s, e as EventShape<Event>), state), events: result.events, nextExpectedVersion: result.nextExpectedVersion };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError && attempt < retries) continue;
      throw error;
    }
  }
}
