import type { PostgresEventStore } from '@toolport/event-store';
import type { Pool } from 'pg';
import { AggregateCommands } from '../scans/aggregate-commands';
import { type ReviewEvent, type ReviewState, reviewStreamId } from './review';
import { type ReviewCommand, reviewDecider } from './review.decide';

/** Review commands on `review-<server>@<version>`, with `review_state` kept in step. */
export class ReviewCommands extends AggregateCommands<ReviewState, ReviewCommand, ReviewEvent> {
  constructor(store: PostgresEventStore, pool: Pool, schema: string) {
    super({
      store,
      pool,
      schema,
      decider: reviewDecider,
      streamId: (key) => reviewStreamId(key.serverName, key.version),
      saveState: async (tx, key, state, now) => {
        await tx.query(
          `INSERT INTO ${schema}.review_state (server_name, version, decision, state, updated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (server_name, version) DO UPDATE SET decision = EXCLUDED.decision, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
          [key.serverName, key.version, state.decision, JSON.stringify(state), now],
        );
      },
    });
  }
}
