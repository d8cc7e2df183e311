import type { HealthStatus, TrustLevel } from '@toolport/contracts';

/**
 * The catalog's search port (DESIGN.md "Search"): the projection writes documents, the search
 * API reads them. Two adapters pass the same contract suite: Meilisearch (production, when
 * MEILI_URL is set) and an embedded in-process engine (default; one catalog replica).
 */

/** One server version as searched. `id` is `<serverName>@<version>`. */
export interface ServerDocument {
  id: string;
  serverName: string;
  /** The part before the slash: `io.github.acme` for `io.github.acme/weather`. */
  namespace: string;
  version: string;
  title: string | null;
  description: string;
  /** Keywords/tags where the server.json or publisher-provided metadata carries any. */
  keywords: string[];
  toolNames: string[];
  toolDescriptions: string[];
  packageIdentifiers: string[];
  registryTypes: string[];
  /** `stdio`, `streamable-http`, `sse` across packages and remotes. */
  transports: string[];
  /** null until scanned. */
  trustLevel: TrustLevel | null;
  score: number | null;
  approved: boolean;
  /** Worst status over the version's remotes; null when it has none or none was probed. */
  health: HealthStatus | null;
  status: 'active' | 'deprecated' | 'deleted';
  isLatest: boolean;
  publishedAt: string;
  updatedAt: string;
}

/** One tool of one server version. `id` is `<serverName>@<version>#<toolName>`. */
export interface ToolDocument {
  id: string;
  serverName: string;
  namespace: string;
  version: string;
  toolName: string;
  title: string | null;
  description: string;
  /** Input parameter names (top level), so "branch" finds a tool taking `branch`. */
  parameterNames: string[];
  /**
   * The server version's registry types and transports, copied onto each tool so that tool
   * search takes the same `registryType`/`transport` filters as server search. Absent means
   * unknown: such a tool never matches those two filters.
   */
  registryTypes?: string[];
  transports?: string[];
  trustLevel: TrustLevel | null;
  approved: boolean;
  health: HealthStatus | null;
  status: 'active' | 'deprecated' | 'deleted';
  isLatest: boolean;
}

export interface SearchFilters {
  registryType?: string;
  transport?: string;
  /** Keeps trust levels at or above this one (TRUST_LEVELS order). */
  minTrust?: TrustLevel;
  health?: HealthStatus;
  approved?: boolean;
  namespace?: string;
  /** Which statuses to include (the caller's visibility rule decides; default active + deprecated). */
  statuses?: ReadonlyArray<'active' | 'deprecated' | 'deleted'>;
  /** Only the latest version of each server. */
  latestOnly?: boolean;
}

export type ServerFacet = 'registryType' | 'transport' | 'trustLevel' | 'health' | 'namespace' | 'approved';

export interface SearchRequest {
  /** Free text; empty means "everything matching the filters", ordered by ranking. */
  q: string;
  filters: SearchFilters;
  limit: number;
  /** Opaque; from a previous result's nextCursor. A malformed one: ToolportError('invalid', 'INVALID_CURSOR'). */
  cursor?: string;
  facets?: readonly ServerFacet[];
}

export interface SearchHit<T> {
  document: T;
  /** Relevance as the engine sees it; only comparable within one result. */
  score: number;
  /** Field name → text with matches wrapped in <em>…</em> (HTML-escaped otherwise). */
  highlights: Record<string, string>;
}

export interface SearchResult<T> {
  hits: Array<SearchHit<T>>;
  /** Facet → value → count over all matches (not just this page); only facets asked for. */
  facets: Partial<Record<ServerFacet, Record<string, number>>>;
  /**
   * Matches in all. An estimate when Meilisearch gives one, or when the embedded engine stops
   * reading a one-word query early (exact whenever facets are asked for, and on small results).
   */
  total: number;
  nextCursor: string | null;
}

export interface SearchIndex {
  readonly engine: 'embedded' | 'meilisearch';
  /** Creates indexes and settings if needed. */
  init(): Promise<void>;
  upsertServers(documents: readonly ServerDocument[]): Promise<void>;
  upsertTools(documents: readonly ToolDocument[]): Promise<void>;
  /** Removes a server version and its tools. */
  removeVersion(serverName: string, version: string): Promise<void>;
  searchServers(request: SearchRequest): Promise<SearchResult<ServerDocument>>;
  searchTools(request: Omit<SearchRequest, 'facets'>): Promise<SearchResult<ToolDocument>>;
  /**
   * Replaces the whole index with these documents without a moment where searches see an empty
   * or half-built index (Meilisearch: build a new index and swap; embedded: build then switch).
   */
  rebuild(servers: AsyncIterable<ServerDocument[]>, tools: AsyncIterable<ToolDocument[]>): Promise<void>;
  count(): Promise<{ servers: number; tools: number }>;
  close(): Promise<void>;
}

/** Nest injection token of the catalog's SearchIndex (the adapter chosen at start). */
export const SEARCH_INDEX = Symbol.for('toolport.catalog.SearchIndex');
