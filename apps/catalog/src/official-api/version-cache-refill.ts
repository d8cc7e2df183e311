import { queryEntries } from '../read-model/catalog-entry.query';
import type { Db } from '../read-model/db';
import { type CatalogVisibilityMode, visibilityFor } from '../visibility/visibility';
import { versionAnswer } from './official-response';
import { versionAnswerKey } from './version-fast-path';
import type { VersionResponseCache } from './version-response-cache';

/** Servers read per query while refilling. */
const PAGE = 500;

/**
 * Keeps the anonymous answers of `GET …/versions/{version}` in memory ahead of requests: the
 * whole read model when the catalog starts, and each server again right after a change dropped
 * it (gathered for one turn of the event loop, so a projection's group costs one query). Without
 * it the first request for each server read PostgreSQL, and a client walking a corpus larger
 * than its request count (bench/catalog: 10,000 names, ~10,000 requests) never met a warm entry.
 * Only what an anonymous caller sees is filled (the rest is cached on first request); a refill
 * read that overlapped a later change of its server is not stored (VersionResponseCache.offer).
 */
export class VersionCacheRefill {
  private readonly pending = new Set<string>();
  private scheduled = false;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly cache: VersionResponseCache,
    private readonly db: Db,
    private readonly schema: string,
    private readonly mode: CatalogVisibilityMode,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Starts filling the cache from the whole read model; resolves when done (failures go to onError). */
  start(): Promise<void> {
    const filling = this.fillAll().catch(this.onError);
    this.running = this.running.then(() => filling);
    return filling;
  }

  /** Fills the cache from the whole read model, a page of servers at a time, until it is full. */
  async fillAll(): Promise<void> {
    if (!this.cache.enabled) return;
    let after = '';
    while (!this.stopped && !this.cache.full) {
      const { rows } = await this.db.query<{ server_name: string }>(
        `SELECT server_name FROM ${this.schema}.servers WHERE server_name > $1 ORDER BY server_name LIMIT ${PAGE}`,
        [after],
      );
      if (rows.length === 0) return;
      await this.fill(rows.map((r) => r.server_name));
      after = rows[rows.length - 1]!.server_name;
    }
  }

  /** The server changed (its entries were just dropped): read its answers again soon. */
  changed(serverName: string): void {
    if (!this.cache.enabled || this.stopped) return;
    this.pending.add(serverName);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const names = [...this.pending];
      this.pending.clear();
      this.running = this.running.then(() => this.fillPages(names)).catch(this.onError);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async fillPages(names: string[]): Promise<void> {
    for (let i = 0; i < names.length && !this.stopped; i += PAGE) await this.fill(names.slice(i, i + PAGE));
  }

  private async fill(names: string[]): Promise<void> {
    const visibility = visibilityFor(null, this.mode, { includeDeleted: false });
    const mark = this.cache.mark();
    const entries = await queryEntries(
      this.db,
      this.schema,
      `WHERE v.server_name = ANY($1::text[]) AND v.status = ANY($2::text[])${visibility.approvedOnly ? ` AND s.approval = 'approved'` : ''}`,
      [names, visibility.statuses],
    );
    for (const entry of entries) {
      const answer = versionAnswer(entry, visibility);
      this.cache.offer(entry.serverName, versionAnswerKey(entry.version, visibility, false), answer, mark);
      if (entry.isLatest) this.cache.offer(entry.serverName, versionAnswerKey('latest', visibility, false), answer, mark);
    }
  }
}
