import { ToolportError } from '@toolport/contracts';
import { type CatalogEntry, queryEntries } from '../read-model/catalog-entry.query';
import type { Db } from '../read-model/db';
import type { Visibility } from '../visibility/visibility';
import { encodeCursor } from './cursor';
import type { ListServersQuery } from './list-query';

/** SQL conditions built up with numbered parameters. */
class Conditions {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
  where(): string {
    return this.clauses.length > 0 ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

/** The visibility rule in SQL (visibility.ts decides; this only translates). */
function visible(conditions: Conditions, visibility: Visibility): void {
  conditions.clauses.push(`v.status = ANY(${conditions.param(visibility.statuses)}::text[])`);
  if (visibility.approvedOnly) conditions.clauses.push(`s.approval = 'approved'`);
}

/** ILIKE pattern for "contains `text`": its own % and _ (and the escape) match literally. */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const notFound = () => new ToolportError('not_found', 'SERVER_NOT_FOUND', 'Server not found');

/** The official read API's queries over the read model; every one applies the caller's visibility. */
export class ServersRepository {
  constructor(
    private readonly db: Db,
    private readonly schema: string,
  ) {}

  /**
   * `GET /servers`: ORDER BY name, version (byte order, see read-model.migrations.ts), keyset
   * paging from the cursor. As upstream, `nextCursor` is given whenever the page is full, so a
   * last full page leads to one empty page.
   */
  async list(query: ListServersQuery, visibility: Visibility): Promise<{ entries: CatalogEntry[]; nextCursor: string | null }> {
    const c = new Conditions();
    visible(c, visibility);
    if (query.version === 'latest') c.clauses.push('v.is_latest');
    else if (query.version !== null) c.clauses.push(`v.version = ${c.param(query.version)}`);
    if (query.search !== null) c.clauses.push(`v.server_name ILIKE ${c.param(containsPattern(query.search))}`);
    if (query.updatedSince !== null) c.clauses.push(`v.listed_updated_at > ${c.param(query.updatedSince)}::timestamptz`);
    if (query.cursor !== null) c.clauses.push(`(v.server_name, v.version) > (${c.param(query.cursor.serverName)}, ${c.param(query.cursor.version)})`);
    const entries = await queryEntries(this.db, this.schema, `${c.where()} ORDER BY v.server_name, v.version LIMIT ${c.param(query.limit)}`, c.params);
    const last = entries[entries.length - 1];
    return { entries, nextCursor: entries.length === query.limit && last ? encodeCursor(last) : null };
  }

  /** `GET /servers/{name}/versions`: newest publish first; 404 when the caller sees none. */
  async versions(serverName: string, visibility: Visibility): Promise<CatalogEntry[]> {
    const c = new Conditions();
    c.clauses.push(`v.server_name = ${c.param(serverName)}`);
    visible(c, visibility);
    const entries = await queryEntries(this.db, this.schema, `${c.where()} ORDER BY v.published_at DESC, v.version DESC`, c.params);
    if (entries.length === 0) throw notFound();
    return entries;
  }

  /** `GET /servers/{name}/versions/{version}`, `latest` meaning the version flagged latest. */
  async version(serverName: string, version: string, visibility: Visibility): Promise<CatalogEntry> {
    const entry = await this.findVersion(serverName, version, visibility);
    if (!entry) throw notFound();
    return entry;
  }

  /** The same, null when the caller sees no such version. */
  async findVersion(serverName: string, version: string, visibility: Visibility): Promise<CatalogEntry | null> {
    const c = new Conditions();
    c.clauses.push(`v.server_name = ${c.param(serverName)}`);
    c.clauses.push(version === 'latest' ? 'v.is_latest' : `v.version = ${c.param(version)}`);
    visible(c, visibility);
    const [entry] = await queryEntries(this.db, this.schema, `${c.where()} LIMIT 1`, c.params);
    return entry ?? null;
  }
}
