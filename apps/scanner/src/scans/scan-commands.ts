import type { PostgresEventStore } from '@toolport/event-store';
import type { Pool } from 'pg';
import { AggregateCommands } from './aggregate-commands';
import { type ScanEvent, type ScanState, scanStreamId } from './scan';
import { type ScanCommand, scanDecider } from './scan.decide';

/** Scan commands on `scan-<server>@<version>`, with `scan_state` kept in step. */
export class ScanCommands extends AggregateCommands<ScanState, ScanCommand, ScanEvent> {
  constructor(store: PostgresEventStore, pool: Pool, schema: string) {
    super({
      store,
      pool,
      schema,
      decider: scanDecider,
      streamId: (key) => scanStreamId(key.serverName, key.version),
      saveState: async (tx, key, state, now) => {
        await tx.query(
          `INSERT INTO ${schema}.scan_state (server_name, version, requests, finished_through, last_finished_rules_version, state, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (server_name, version) DO UPDATE SET requests = EXCLUDED.requests, finished_through = EXCLUDED.finished_through,
             last_finished_rules_version = EXCLUDED.last_finished_rules_version, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
          [key.serverName, key.version, state.requests.length, state.finishedThrough, state.lastFinished?.data.rulesVersion ?? null, JSON.stringify(state), now],
        );
      },
    });
  }
}
