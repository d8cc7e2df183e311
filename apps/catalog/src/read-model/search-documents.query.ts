import type { ServerDocument, ToolDocument } from '../search/search-index';
import { type CatalogEntry, queryEntries } from './catalog-entry.query';
import type { Db } from './db';
import { toServerDocument, toToolDocuments } from './search-documents';

/** Every version in the read model, in (name, version) order, `batchSize` at a time (keyset paging: no long-held cursor). */
export async function* readEntryBatches(db: Db, schema: string, batchSize = 500): AsyncGenerator<CatalogEntry[]> {
  let after: [string, string] | null = null;
  for (;;) {
    const batch: CatalogEntry[] = after
      ? await queryEntries(db, schema, 'WHERE (v.server_name, v.version) > ($1, $2) ORDER BY v.server_name, v.version LIMIT $3', [...after, batchSize], { withTools: true })
      : await queryEntries(db, schema, 'ORDER BY v.server_name, v.version LIMIT $1', [batchSize], { withTools: true });
    if (batch.length === 0) return;
    yield batch;
    if (batch.length < batchSize) return;
    const last = batch[batch.length - 1]!;
    after = [last.serverName, last.version];
  }
}

/**
 * The whole read model as search documents, for `SearchIndex.rebuild` (the embedded engine at
 * start, a Meilisearch reindex). Each iterable reads on its own, so an adapter may consume
 * them one after the other or side by side.
 */
export function readModelDocuments(db: Db, schema: string, batchSize = 500): { servers: AsyncIterable<ServerDocument[]>; tools: AsyncIterable<ToolDocument[]> } {
  return {
    servers: (async function* () {
      for await (const batch of readEntryBatches(db, schema, batchSize)) yield batch.map(toServerDocument);
    })(),
    tools: (async function* () {
      for await (const batch of readEntryBatches(db, schema, batchSize)) {
        const tools = batch.flatMap(toToolDocuments);
        if (tools.length > 0) yield tools;
      }
    })(),
  };
}
