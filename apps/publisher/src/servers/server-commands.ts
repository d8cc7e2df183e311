import { Inject, Injectable } from '@nestjs/common';
import type { CommandContext } from '@toolport/contracts';
import { EVENT_STORE, handle, type PostgresEventStore, withTransaction } from '@toolport/event-store';
import { SERVICE_RUNTIME, type ServiceRuntime } from '@toolport/platform';
import { claimRemoteUrls, remoteUrlsOf } from './remote-url-claims';
import { serverStreamId, type ServerEvent, type ServerState } from './server';
import { type ServerCommand, serverDecider } from './server.decide';

/**
 * Concurrent publishes of one server race on the stream's expected version; the loser decides
 * again on the new state (decide is pure). Twenty publishers at once need at most nineteen
 * retries each; the bound only stops a pathological loop.
 */
const RETRIES_ON_CONFLICT = 64;

/** Runs server commands against the `server-<name>` stream and loads its state. */
@Injectable()
export class ServerCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
  ) {}

  async execute(serverName: string, command: ServerCommand, context: CommandContext): Promise<{ state: ServerState; events: ServerEvent[] }> {
    const { pool, schema } = this.runtime;
    const result = await handle(this.store, serverStreamId(serverName), serverDecider, command, context, {
      retryOnConflict: RETRIES_ON_CONFLICT,
      append: (streamId, events, options) =>
        withTransaction(pool, async (tx) => {
          if (command.type === 'PublishVersion') await claimRemoteUrls(tx, schema, serverName, remoteUrlsOf(command.server));
          return this.store.appendInTransaction(tx, streamId, events, options);
        }),
    });
    return { state: result.state, events: result.events as unknown as ServerEvent[] };
  }

  async load(serverName: string): Promise<ServerState> {
    const events = await this.store.readStream(serverStreamId(serverName));
    return events.reduce((state, event) => serverDecider.evolve(state, event as unknown as ServerEvent), serverDecider.initialState());
  }
}
