import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@toolport/auth';
import { ToolportError } from '@toolport/contracts';
import { PG_POOL, SERVICE_RUNTIME, type ServiceRuntime } from '@toolport/platform';
import type { Pool } from 'pg';
import { type ResolvableVersion, type Resolution, resolveVersion } from '../resolve/version-resolution';
import { SEARCH_INDEX, type SearchIndex } from '../search/search-index';
import { CATALOG_VISIBILITY, isVisible, type Visibility, visibilityFor, visibilitySearchFilters } from '../visibility/visibility';
import type { VisibilityOptions } from '../visibility/visibility.config';
import type { ParsedSearchQuery } from './search-query';
import { serverItemFields, serverResultJson, toolItemFields, toolResultJson } from './search-response-json';

/**
 * The catalog's own queries (search, tool search, resolution), shared by the HTTP API and the
 * MCP endpoint so an agent gets the same answers either way. Every one applies the caller's
 * visibility: filters from the caller can only narrow it.
 */
@Injectable()
export class CatalogSearch {
  constructor(
    @Inject(SEARCH_INDEX) private readonly index: SearchIndex,
    @Inject(CATALOG_VISIBILITY) private readonly visibility: VisibilityOptions,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
  ) {}

  visibilityOf(principal: Principal | null): Visibility {
    return visibilityFor(principal, this.visibility.mode, { includeDeleted: false });
  }

  private filtersFor(query: ParsedSearchQuery, principal: Principal | null) {
    const enforced = visibilitySearchFilters(this.visibilityOf(principal));
    // A caller may ask for approved=false only when it may see unapproved versions at all.
    const approved = enforced.approved === true ? true : query.filters.approved;
    return { ...query.filters, statuses: enforced.statuses, ...(approved === undefined ? {} : { approved }) };
  }

  private rawServers(query: ParsedSearchQuery, principal: Principal | null) {
    return this.index.searchServers({ q: query.q, limit: query.limit, cursor: query.cursor, filters: this.filtersFor(query, principal), facets: query.facets });
  }

  private rawTools(query: ParsedSearchQuery, principal: Principal | null) {
    return this.index.searchTools({ q: query.q, limit: query.limit, cursor: query.cursor, filters: this.filtersFor(query, principal) });
  }

  async searchServers(query: ParsedSearchQuery, principal: Principal | null) {
    const result = await this.rawServers(query, principal);
    return {
      items: result.hits.map((hit) => ({ ...serverItemFields(hit.document), relevance: hit.score, highlights: hit.highlights })),
      facets: result.facets,
      total: result.total,
      nextCursor: result.nextCursor,
    };
  }

  /** searchServers as JSON text, the documents' fields serialised once per document (search-response-json.ts). */
  async searchServersJson(query: ParsedSearchQuery, principal: Principal | null): Promise<string> {
    return serverResultJson(await this.rawServers(query, principal));
  }

  async searchTools(query: ParsedSearchQuery, principal: Principal | null) {
    const result = await this.rawTools(query, principal);
    return {
      items: result.hits.map((hit) => ({ ...toolItemFields(hit.document), relevance: hit.score, highlights: hit.highlights })),
      total: result.total,
      nextCursor: result.nextCursor,
    };
  }

  async searchToolsJson(query: ParsedSearchQuery, principal: Principal | null): Promise<string> {
    return toolResultJson(await this.rawTools(query, principal));
  }

  /** The highest visible version of a server satisfying an npm range (see version-resolution.ts). */
  async resolve(serverName: string, range: string, from: string | undefined, principal: Principal | null): Promise<Resolution & { serverName: string }> {
    const schema = this.runtime.schema;
    const { rows } = await this.pool.query<{ version: string; status: ResolvableVersion['status']; published_at: Date; compatibility: ResolvableVersion['compatibility']; approval: string | null }>(
      `SELECT v.version, v.status, v.published_at, v.compatibility, s.approval
         FROM ${schema}.versions v LEFT JOIN ${schema}.version_security s USING (server_name, version)
        WHERE v.server_name = $1`,
      [serverName],
    );
    // A server the caller may not see at all (only pending or rejected versions, for an agent) is
    // not found, as in the official API: the reasons below would otherwise name its versions.
    const callerSees = visibilityFor(principal, this.visibility.mode, { includeDeleted: false });
    if (!rows.some((r) => isVisible(callerSees, { status: r.status, approval: (r.approval ?? 'pending') as 'pending' }))) {
      throw new ToolportError('not_found', 'SERVER_NOT_FOUND', `Server not found: ${serverName}`);
    }
    // Resolution answers "which version do I install": the highest APPROVED one, for every caller.
    // A reviewer sees pending versions in lists and fetches them by exact version, but a
    // reviewer's agent resolving ^2 must not install one nobody approved. Under
    // TOOLPORT_CATALOG_VISIBILITY=all (no review) every non-deleted version counts as approved.
    const installable = visibilityFor(null, this.visibility.mode, { includeDeleted: true });
    const versions: ResolvableVersion[] = rows.map((r) => ({
      version: r.version,
      status: r.status,
      approved: isVisible(installable, { status: r.status, approval: (r.approval ?? 'pending') as 'pending' }),
      publishedAt: r.published_at.toISOString(),
      compatibility: r.compatibility,
    }));
    return { serverName, ...resolveVersion(versions, range, from) };
  }
}
