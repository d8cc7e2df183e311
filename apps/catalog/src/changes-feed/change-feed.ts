import { type FeedSource, SseFeed, type SseFeedOptions } from '@toolport/platform';
import type { CatalogChangeRecord } from '../read-model/catalog-change';

/** What the feed needs of CatalogChanges (read-model/catalog-changes.ts). */
export type ChangeSource = FeedSource<CatalogChangeRecord>;

export type ChangeFeedOptions = Omit<SseFeedOptions<CatalogChangeRecord>, 'format' | 'filter'>;

/** One change as an SSE event; `id` is what the client sends back as Last-Event-ID. */
export function sseEvent(change: CatalogChangeRecord): string {
  const data = { id: change.id, kind: change.kind, serverName: change.serverName, version: change.version, at: change.at };
  return `id: ${change.id}\nevent: ${change.kind}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Catalog changes as Server-Sent Events, each exactly once and in id order, resuming after a
 * given id: the platform's SseFeed (subscribe first, catch up from the store, skip ids already
 * sent) with the catalog's event shape.
 */
export class ChangeFeed extends SseFeed<CatalogChangeRecord> {
  constructor(source: ChangeSource, options: ChangeFeedOptions = {}) {
    super(source, { ...options, format: sseEvent });
  }
}
