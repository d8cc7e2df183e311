import type { CommandContext } from '@toolport/contracts';
import { type AppendOptions, type AppendResult, type Decider, handle, type NewEvent, type PostgresEventStore, type RecordedEvent, withTransaction } from '@toolport/event-store';
import type { Pool, PoolClient } from 'pg';

/** Concurrent commands on one version's stream are few; the bound only stops a runaway loop. */
const RETRIES_ON_CONFLICT = 16;

export interface VersionKey {
  serverName: string;
  version: string;
}

export interface AggregateCommandResult<State> {
  state: State;
  events: RecordedEvent[];
}

export interface AggregateCommandsOptions<State, Command extends VersionKey, Event extends NewEvent> {
  store: PostgresEventStore;
  pool: Pool;
  schema: string;
  decider: Decider<State, Command, Event>;
  streamId: (key: VersionKey) => string;
  /** Writes the folded state of one version, inside the transaction that appended its events. */
  saveState: (tx: PoolClient, key: VersionKey, state: State, now: Date) => Promise<void>;
}

/**
 * Runs one per-version aggregate's commands and keeps its state table in step: after the append,
 * the whole stream as the appending transaction sees it (under the event store's append lock) is
 * folded and saved, so the table is never behind or ahead of the stream.
 */
export class AggregateCommands<State, Command extends VersionKey, Event extends NewEvent> {
  constructor(private readonly options: AggregateCommandsOptions<State, Command, Event>) {}

  /**
   * Without `tx` a transaction opens only for the append, after handle() has read the stream:
   * holding a pooled connection while waiting for another to read could exhaust the pool.
   * With `tx`, appends inside the caller's transaction (a projection consumer's).
   */
  async execute(command: Command, context: CommandContext, tx?: PoolClient): Promise<AggregateCommandResult<State>> {
    const key = { serverName: command.serverName, version: command.version };
    const result = await handle(this.options.store, this.options.streamId(key), this.options.decider, command, context, {
      retryOnConflict: RETRIES_ON_CONFLICT,
      append: (id, events, appendOptions) =>
        tx ? this.appendAndSave(tx, key, id, events, appendOptions) : withTransaction(this.options.pool, (client) => this.appendAndSave(client, key, id, events, appendOptions)),
    });
    return { state: result.state, events: result.events };
  }

  async load(key: VersionKey): Promise<State> {
    return this.fold(await this.options.store.readStream(this.options.streamId(key)));
  }

  fold(events: readonly { type: string; data: unknown }[]): State {
    const { decider } = this.options;
    return events.reduce((state, event) => decider.evolve(state, event as unknown as Parameters<typeof decider.evolve>[1]), decider.initialState());
  }

  private async appendAndSave(tx: PoolClient, key: VersionKey, streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const appended = await this.options.store.appendInTransaction(tx, streamId, events, options);
    const { rows } = await tx.query<{ type: string; data: unknown }>(`SELECT type, data FROM ${this.options.schema}.events WHERE stream_id = $1 ORDER BY stream_version`, [streamId]);
    await this.options.saveState(tx, key, this.fold(rows), options.context.now);
    return appended;
  }
}
