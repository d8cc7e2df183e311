import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { streamName } from '@toolport/contracts';
import { withTransaction } from '@toolport/event-store';
import type { Pool } from 'pg';
import { applyCatalogEvent } from '../read-model/catalog-event.projection';
import { CATALOG_SOURCES, isCatalogEvent } from '../read-model/catalog-events';
import type { Db } from '../read-model/db';
import { REBUILT_TABLES } from '../read-model/read-model.migrations';
import { readModelDocuments } from '../read-model/search-documents.query';
import type { SearchIndex } from '../search/search-index';
import { type ReadModelCounts, readModelCounts } from './read-model-counts';
import { planReplay, type ReplayPlan, replayStream } from './stream-replay';

export interface RebuildOptions {
  pool: Pool;
  /** The catalog's schema (migrated: read model and consumer_checkpoints). */
  schema: string;
  instance: string;
  nc: NatsConnection;
  /** When given, rebuilt from the new read model after the commit. */
  search?: SearchIndex;
  /** Called once the replay is sized, then after every message. */
  onPlan?: (totalMessages: number) => void;
  onMessage?: () => void;
}

export interface RebuildReport {
  /** Messages read per projection (consumer name). */
  messages: Record<string, number>;
  /** Of those, the events the catalog projects. */
  applied: number;
  counts: ReadModelCounts;
  durationMs: number;
}

/**
 * Empties the read model and replays the three source streams from their first message into it,
 * in one transaction, so readers see the old read model until the new one commits (DELETE, not
 * TRUNCATE, whose exclusive lock would block every read for the whole rebuild).
 *
 * Running while the catalog runs is safe: the rebuild first locks the three projections'
 * checkpoint rows, which a live projection locks before applying anything, so live projections
 * wait; it then sizes the replay (each stream's last sequence now) and, before committing, sets
 * the checkpoints to those sequences. After the commit the live projections go on from there:
 * what the rebuild applied they acknowledge as already applied, what came later they apply.
 */
export async function rebuildReadModel(options: RebuildOptions): Promise<RebuildReport> {
  const started = performance.now();
  const { pool, schema, instance, nc } = options;
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const messages: Record<string, number> = {};
  let applied = 0;

  await withTransaction(pool, async (tx) => {
    for (const source of CATALOG_SOURCES) await lockCheckpoint(tx, schema, source.consumer);
    const plans = new Map<string, ReplayPlan>();
    for (const source of CATALOG_SOURCES) {
      plans.set(source.consumer, await planReplay(jsm, { stream: streamName(instance, source.stream), filterSubject: `${instance}.${source.filterSubject}` }));
    }
    options.onPlan?.([...plans.values()].reduce((sum, plan) => sum + plan.messages, 0));

    for (const table of REBUILT_TABLES) await tx.query(`DELETE FROM ${schema}.${table}`);
    for (const source of CATALOG_SOURCES) {
      const plan = plans.get(source.consumer)!;
      messages[source.consumer] = 0;
      for await (const { event } of replayStream(js, plan)) {
        messages[source.consumer] += 1;
        if (isCatalogEvent(event)) {
          await applyCatalogEvent(tx, schema, event);
          applied += 1;
        }
        options.onMessage?.();
      }
      await tx.query(`UPDATE ${schema}.consumer_checkpoints SET stream_sequence = GREATEST(stream_sequence, $2), updated_at = now() WHERE consumer = $1`, [
        source.consumer,
        plan.lastSequence,
      ]);
    }
  });

  if (options.search) {
    const documents = readModelDocuments(pool, schema);
    await options.search.rebuild(documents.servers, documents.tools);
  }
  return { messages, applied, counts: await readModelCounts(pool, schema), durationMs: Math.round(performance.now() - started) };
}

async function lockCheckpoint(tx: Db, schema: string, consumer: string): Promise<void> {
  await tx.query(`INSERT INTO ${schema}.consumer_checkpoints (consumer, stream_sequence) VALUES ($1, 0) ON CONFLICT (consumer) DO NOTHING`, [consumer]);
  await tx.query(`SELECT stream_sequence FROM ${schema}.consumer_checkpoints WHERE consumer = $1 FOR UPDATE`, [consumer]);
}
