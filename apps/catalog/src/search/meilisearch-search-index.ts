import { ToolportError } from '@toolport/contracts';
import { type EnqueuedTaskPromise, type Index, MatchingStrategies, Meilisearch, MeiliSearchApiError, type SearchParams, type Settings } from 'meilisearch';
import { decodeOffsetCursor, encodeOffsetCursor, queryFingerprint } from './search-cursor';
import type { SearchIndex, SearchRequest, SearchResult, ServerDocument, ServerFacet, ToolDocument } from './search-index';
import {
  documentKey,
  facetsFrom,
  fromMeiliServer,
  fromMeiliTool,
  highlightsFrom,
  meiliFacets,
  meiliFilter,
  POST_TAG,
  PRE_TAG,
  quote,
  SERVER_HIGHLIGHTS,
  serverIndexSettings,
  TOOL_HIGHLIGHTS,
  toMeiliServer,
  toMeiliTool,
  toolIndexSettings,
  versionKeyOf,
} from './meilisearch-settings';

export interface MeilisearchSearchOptions {
  url: string;
  apiKey: string | null;
  /** Index uids are `<prefix>_servers` and `<prefix>_tools` (prefix = instance + configured prefix). */
  indexPrefix: string;
  /** How long to wait for one Meilisearch task (indexing a batch, a swap). */
  taskTimeoutMs: number;
}

type Kind = 'servers' | 'tools';

/**
 * The SearchIndex on Meilisearch (production, and whenever MEILI_URL is set). Writes wait for
 * their task, so a document is searchable when the call returns; `rebuild` fills fresh indexes
 * and swaps them with the live ones in one task (searches never see a half-built index).
 */
export class MeilisearchSearchIndex implements SearchIndex {
  readonly engine = 'meilisearch' as const;
  private readonly client: Meilisearch;
  private readonly uids: Record<Kind, string>;

  constructor(private readonly options: MeilisearchSearchOptions) {
    this.client = new Meilisearch({ host: options.url, ...(options.apiKey === null ? {} : { apiKey: options.apiKey }) });
    this.uids = { servers: `${options.indexPrefix}_servers`, tools: `${options.indexPrefix}_tools` };
  }

  /** The index uids, for tests and operators. */
  get indexUids(): Readonly<Record<Kind, string>> {
    return this.uids;
  }

  async init(): Promise<void> {
    await this.prepare(this.uids.servers, serverIndexSettings());
    await this.prepare(this.uids.tools, toolIndexSettings());
  }

  async upsertServers(documents: readonly ServerDocument[]): Promise<void> {
    if (documents.length > 0) await this.wait(this.index('servers').addDocuments(documents.map(toMeiliServer), { primaryKey: 'key' }));
  }

  async upsertTools(documents: readonly ToolDocument[]): Promise<void> {
    if (documents.length > 0) await this.wait(this.index('tools').addDocuments(documents.map(toMeiliTool), { primaryKey: 'key' }));
  }

  async removeVersion(serverName: string, version: string): Promise<void> {
    await this.wait(this.index('servers').deleteDocuments([documentKey(versionKeyOf(serverName, version))]));
    await this.wait(this.index('tools').deleteDocuments({ filter: `versionKey = ${quote(versionKeyOf(serverName, version))}` }));
  }

  async searchServers(request: SearchRequest): Promise<SearchResult<ServerDocument>> {
    return this.search('servers', request, request.facets ?? [], SERVER_HIGHLIGHTS, fromMeiliServer);
  }

  async searchTools(request: Omit<SearchRequest, 'facets'>): Promise<SearchResult<ToolDocument>> {
    return this.search('tools', request, [], TOOL_HIGHLIGHTS, fromMeiliTool);
  }

  async rebuild(servers: AsyncIterable<ServerDocument[]>, tools: AsyncIterable<ToolDocument[]>): Promise<void> {
    const next: Record<Kind, string> = { servers: `${this.uids.servers}_next`, tools: `${this.uids.tools}_next` };
    await this.client.deleteIndexIfExists(next.servers);
    await this.client.deleteIndexIfExists(next.tools);
    await this.prepare(next.servers, serverIndexSettings());
    await this.prepare(next.tools, toolIndexSettings());
    for await (const batch of servers) if (batch.length > 0) await this.wait(this.client.index(next.servers).addDocuments(batch.map(toMeiliServer), { primaryKey: 'key' }));
    for await (const batch of tools) if (batch.length > 0) await this.wait(this.client.index(next.tools).addDocuments(batch.map(toMeiliTool), { primaryKey: 'key' }));
    // Both swaps in one task: searches see the old pair or the new pair, never a mix.
    await this.wait(
      this.client.swapIndexes([
        { indexes: [this.uids.servers, next.servers], rename: false },
        { indexes: [this.uids.tools, next.tools], rename: false },
      ]),
    );
    await this.wait(this.client.deleteIndex(next.servers));
    await this.wait(this.client.deleteIndex(next.tools));
  }

  async count(): Promise<{ servers: number; tools: number }> {
    const [servers, tools] = await Promise.all([this.index('servers').getStats(), this.index('tools').getStats()]);
    return { servers: servers.numberOfDocuments, tools: tools.numberOfDocuments };
  }

  /** The client keeps no connection open; the indexes stay (they are the data). */
  async close(): Promise<void> {}

  /** Deletes both indexes (tests, and an operator removing an instance). */
  async drop(): Promise<void> {
    await this.client.deleteIndexIfExists(this.uids.servers);
    await this.client.deleteIndexIfExists(this.uids.tools);
  }

  private index(kind: Kind): Index {
    return this.client.index(this.uids[kind]);
  }

  private async prepare(uid: string, settings: Settings): Promise<void> {
    const created = await this.client.createIndex(uid, { primaryKey: 'key' }).waitTask({ timeout: this.options.taskTimeoutMs });
    if (created.status === 'failed' && created.error?.code !== 'index_already_exists') throw new Error(`meilisearch could not create ${uid}: ${created.error?.message}`);
    await this.wait(this.client.index(uid).updateSettings(settings));
  }

  private async wait(task: EnqueuedTaskPromise): Promise<void> {
    const done = await task.waitTask({ timeout: this.options.taskTimeoutMs });
    if (done.status !== 'succeeded') throw new Error(`meilisearch task ${done.uid} (${done.type}) ${done.status}: ${done.error?.message ?? 'no detail'}`);
  }

  private async search<D>(kind: Kind, request: SearchRequest, facets: readonly ServerFacet[], highlighted: string[], document: (hit: Record<string, unknown>) => D): Promise<SearchResult<D>> {
    const fingerprint = queryFingerprint(kind, request.q, request.filters);
    const offset = request.cursor === undefined ? 0 : decodeOffsetCursor(request.cursor, fingerprint);
    const limit = Math.max(0, Math.floor(request.limit));
    const params: SearchParams = {
      filter: meiliFilter(request.filters),
      offset,
      // One more than asked tells whether a next page exists without trusting an estimate.
      limit: limit + 1,
      attributesToHighlight: highlighted,
      highlightPreTag: PRE_TAG,
      highlightPostTag: POST_TAG,
      showRankingScore: true,
      // Drop the most frequent words first when not every word matches: natural sentences ("a
      // git server that can diff branches") keep their rare, meaningful words.
      matchingStrategy: MatchingStrategies.FREQUENCY,
      ...(facets.length > 0 ? { facets: meiliFacets(facets) } : {}),
    };
    let response;
    try {
      response = await this.index(kind).search<Record<string, unknown>>(request.q, params);
    } catch (error) {
      if (error instanceof MeiliSearchApiError) throw error;
      throw new ToolportError('unavailable', 'SEARCH_UNAVAILABLE', `the search engine did not answer: ${(error as Error).message}`);
    }
    const hits = response.hits.slice(0, limit).map((hit) => ({
      document: document(hit),
      score: hit._rankingScore ?? 0,
      highlights: highlightsFrom(hit._formatted as Record<string, unknown> | undefined, highlighted),
    }));
    return {
      hits,
      facets: facetsFrom(facets, response.facetDistribution),
      total: response.estimatedTotalHits ?? offset + response.hits.length,
      nextCursor: response.hits.length > limit ? encodeOffsetCursor(fingerprint, offset + limit) : null,
    };
  }
}
