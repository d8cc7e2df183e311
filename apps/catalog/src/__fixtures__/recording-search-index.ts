import type { SearchIndex, SearchRequest, SearchResult, ServerDocument, ToolDocument } from '../search/search-index';

/**
 * A SearchIndex twin for the read-model tests: keeps the documents it is given, so a test can
 * check what the projection wrote. Its search is a plain case-insensitive substring filter in
 * id order (the real engines are tested by the search contract suite in search/).
 */
export class RecordingSearchIndex implements SearchIndex {
  readonly engine = 'embedded' as const;
  readonly servers = new Map<string, ServerDocument>();
  readonly tools = new Map<string, ToolDocument>();
  upserts = 0;

  async init(): Promise<void> {}

  async upsertServers(documents: readonly ServerDocument[]): Promise<void> {
    this.upserts += 1;
    for (const d of documents) this.servers.set(d.id, d);
  }

  async upsertTools(documents: readonly ToolDocument[]): Promise<void> {
    for (const d of documents) this.tools.set(d.id, d);
  }

  async removeVersion(serverName: string, version: string): Promise<void> {
    this.servers.delete(`${serverName}@${version}`);
    for (const id of [...this.tools.keys()]) if (id.startsWith(`${serverName}@${version}#`)) this.tools.delete(id);
  }

  async searchServers(request: SearchRequest): Promise<SearchResult<ServerDocument>> {
    return this.search([...this.servers.values()], request, (d) => [d.serverName, d.title ?? '', d.description]);
  }

  async searchTools(request: Omit<SearchRequest, 'facets'>): Promise<SearchResult<ToolDocument>> {
    return this.search([...this.tools.values()], request, (d) => [d.toolName, d.description]);
  }

  async rebuild(servers: AsyncIterable<ServerDocument[]>, tools: AsyncIterable<ToolDocument[]>): Promise<void> {
    const nextServers = new Map<string, ServerDocument>();
    const nextTools = new Map<string, ToolDocument>();
    for await (const batch of servers) for (const d of batch) nextServers.set(d.id, d);
    for await (const batch of tools) for (const d of batch) nextTools.set(d.id, d);
    this.servers.clear();
    this.tools.clear();
    for (const [id, d] of nextServers) this.servers.set(id, d);
    for (const [id, d] of nextTools) this.tools.set(id, d);
  }

  async count(): Promise<{ servers: number; tools: number }> {
    return { servers: this.servers.size, tools: this.tools.size };
  }

  async close(): Promise<void> {}

  private search<T extends ServerDocument | ToolDocument>(documents: T[], request: Omit<SearchRequest, 'facets'>, text: (d: T) => string[]): SearchResult<T> {
    const q = request.q.toLowerCase();
    const statuses = request.filters.statuses ?? ['active', 'deprecated'];
    const matching = documents
      .filter((d) => statuses.includes(d.status) && (request.filters.approved === undefined || d.approved === request.filters.approved))
      .filter((d) => q === '' || text(d).some((t) => t.toLowerCase().includes(q)))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const offset = request.cursor ? Number(request.cursor) : 0;
    const page = matching.slice(offset, offset + request.limit);
    return {
      hits: page.map((document) => ({ document, score: 1, highlights: {} })),
      facets: {},
      total: matching.length,
      nextCursor: offset + page.length < matching.length ? String(offset + page.length) : null,
    };
  }
}
