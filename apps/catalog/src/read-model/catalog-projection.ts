import { createHash } from 'node:crypto';
import type { SearchIndex } from '../search/search-index';
import { applyCatalogEvent } from './catalog-event.projection';
import { type VersionKey, isCatalogEvent } from './catalog-events';
import { loadEntries } from './catalog-entry.query';
import { recordChanges } from './catalog-changes';
import { loadVersions } from './version.repository';
import { ServerChanges } from './server-changes';
import type { Db } from './db';
import { toServerDocument, toToolDocuments } from './search-documents';

const serverLockKey = (schema: string, serverName: string): string =>
  createHash('sha256').update(`toolport:catalog-server:${schema}:${serverName}`).digest().readBigInt64BE(0).toString();

/** Re-reads these versions (inside `db`'s transaction: its own writes included) and upserts their search documents. */
export async function indexVersions(db: Db, schema: string, search: SearchIndex, keys: readonly VersionKey[]): Promise<void> {
  const entries = await loadEntries(db, schema, keys);
  if (entries.length === 0) return;
  await search.upsertServers(entries.map(toServerDocument));
  const tools = entries.flatMap(toToolDocuments);
  if (tools.length > 0) await search.upsertTools(tools);
}

/**
 * What each of the catalog's three projections does with one message, inside the transaction
 * that also advances its checkpoint: the read-model SQL, then the search documents of the
 * versions it touched, then the change for the feed.
 *
 * Why the search index is written here, before the commit: the consumer runner gives a handler
 * no "after commit" hook, and the SearchIndex is not transactional. Written here, a transaction
 * that fails after the upsert leaves the index briefly ahead of the table; the message is then
 * redelivered and applied again, and the upserts (keyed by document id, computed from the rows)
 * converge on the committed state. Written after the commit by some other path, a crash between
 * the commit and the upsert would lose the update for good, since the checkpoint already says
 * "applied". Search may be ahead for a moment, never behind for ever.
 *
 * The three projections run concurrently, and a search document (like `listed_updated_at`)
 * joins rows that two of them write (a version from the publisher's, its verdict from the
 * scanner's). Unserialised, a
 * publish and a scan of the same version applied at the same moment each read the other's row
 * before it committed, and the document missed the verdict for good (the rebuild test caught
 * it: the live index had `score: null` where the table said 52). A transaction-scoped advisory
 * lock per server name, taken first, makes the second wait for the first to commit; READ
 * COMMITTED then lets its statements see those rows.
 */
export class CatalogProjection {
  constructor(
    private readonly schema: string,
    private readonly search: SearchIndex,
    private readonly changes: ServerChanges = new ServerChanges(),
  ) {}

  /** After the commit of events this process applied: tells in-process caches at once. */
  afterCommit(events: ReadonlyArray<{ type: string }>): void {
    const names = new Set<string>();
    for (const event of events) if (isCatalogEvent(event)) names.add(event.data.serverName);
    for (const name of names) this.changes.changed(name);
  }

  handle(event: { type: string }, tx: Db): Promise<void> {
    return this.handleBatch([event], tx);
  }

  /**
   * Several events of one stream in one transaction (the consumer runner's group): the locks of
   * every server they name, taken at once in ascending key order (two projections locking
   * overlapping sets in the same order cannot deadlock), then each event's SQL, then one
   * search-index write for every version they touched and one insert into the change feed.
   */
  async handleBatch(events: ReadonlyArray<{ type: string }>, tx: Db): Promise<void> {
    const catalogEvents = events.filter(isCatalogEvent);
    if (catalogEvents.length === 0) return;
    const keys = [...new Set(catalogEvents.map((event) => serverLockKey(this.schema, event.data.serverName)))].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    await tx.query('SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k', [keys]);
    const versionKeys = catalogEvents.flatMap((event) =>
      event.type === 'VersionPublished' || event.type === 'VersionStatusChanged' ? [{ serverName: event.data.serverName, version: event.data.version }] : [],
    );
    const versions = { versions: await loadVersions(tx, this.schema, versionKeys), latest: new Map<string, string | null>() };
    const touched = new Map<string, VersionKey>();
    const changes = [];
    for (const event of catalogEvents) {
      const applied = await applyCatalogEvent(tx, this.schema, event, versions);
      for (const key of applied.touched) touched.set(`${key.serverName}@${key.version}`, key);
      changes.push(applied.change);
    }
    await indexVersions(tx, this.schema, this.search, [...touched.values()]);
    await recordChanges(tx, this.schema, changes);
  }
}
