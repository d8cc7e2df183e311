import { ToolportError } from '@toolport/contracts';
import type { SearchIndex, SearchResult, ServerDocument, ToolDocument } from './search-index';

/**
 * What every SearchIndex must do, run by embedded-search-index.spec.ts and (where a server
 * answers) meilisearch-search-index.int-spec.ts, so both adapters behave the same behind the
 * port. `create` runs before each test and returns an empty, initialised index; `dispose`
 * after each (delete what the test created).
 */
export function searchIndexContract(create: () => Promise<SearchIndex>, dispose: (index: SearchIndex) => Promise<void> = (index) => index.close()): void {
  let index: SearchIndex;
  beforeEach(async () => {
    index = await create();
  });
  afterEach(async () => {
    await dispose(index);
  });

  const ids = <T extends { id: string }>(result: SearchResult<T>): string[] => result.hits.map((hit) => hit.document.id);
  const servers = (q: string, filters: Parameters<SearchIndex['searchServers']>[0]['filters'] = {}, limit = 20): ReturnType<SearchIndex['searchServers']> =>
    index.searchServers({ q, filters, limit });

  describe('typo tolerance (one typo from 5 letters, two from 9)', () => {
    beforeEach(async () => {
      await index.upsertServers([
        server('io.github.acme/weather', { description: 'Weather forecasts for any city' }),
        server('io.github.acme/cluster', { description: 'Manage kubernetes deployments' }),
        server('io.github.acme/mailer', { description: 'Send mail' }),
      ]);
    });

    it('finds a word with one typo in a 6-letter query word', async () => {
      expect(ids(await servers('wether'))).toEqual(['io.github.acme/weather@1.0.0']);
      expect(ids(await servers('forecsats'))).toEqual(['io.github.acme/weather@1.0.0']);
    });

    it('allows two typos from 9 letters but not three', async () => {
      expect(ids(await servers('kubarnetis'))).toEqual(['io.github.acme/cluster@1.0.0']);
      expect(ids(await servers('kubarnatis'))).toEqual([]);
    });

    it('allows no typo below 5 letters', async () => {
      expect(ids(await servers('mial'))).toEqual([]);
      expect(ids(await servers('mail'))).toEqual(['io.github.acme/mailer@1.0.0']);
    });
  });

  describe('prefix', () => {
    it('matches the last query word as a prefix', async () => {
      await index.upsertServers([server('io.github.acme/weather', { description: 'Weather forecasts' }), server('io.github.acme/git', { description: 'Git tools' })]);
      expect(ids(await servers('weat'))).toEqual(['io.github.acme/weather@1.0.0']);
      expect(ids(await servers('forecasts wea'))).toEqual(['io.github.acme/weather@1.0.0']);
    });
  });

  describe('filters', () => {
    beforeEach(async () => {
      await index.upsertServers([
        server('io.github.one/files', { registryTypes: ['npm'], transports: ['stdio'], trustLevel: 'verified', health: 'healthy', approved: true }),
        server('io.github.two/files', { registryTypes: ['pypi'], transports: ['streamable-http'], trustLevel: 'passed', health: 'degraded', approved: false }),
        server('io.github.two/files', { version: '0.9.0', registryTypes: ['oci'], transports: ['sse'], trustLevel: 'needs-review', health: 'down', approved: true, isLatest: false }),
        server('io.github.three/files', { trustLevel: null, health: null, status: 'deleted' }),
        server('io.github.four/files', { trustLevel: 'rejected', status: 'deprecated', approved: false }),
      ]);
    });

    it('registryType and transport', async () => {
      expect(ids(await servers('files', { registryType: 'pypi' }))).toEqual(['io.github.two/files@1.0.0']);
      expect(ids(await servers('files', { transport: 'sse' }))).toEqual(['io.github.two/files@0.9.0']);
      expect(ids(await servers('files', { registryType: 'nuget' }))).toEqual([]);
    });

    it('minTrust keeps that level and better (TRUST_LEVELS order)', async () => {
      expect(ids(await servers('files', { minTrust: 'passed' })).sort()).toEqual(['io.github.one/files@1.0.0', 'io.github.two/files@1.0.0']);
      expect(ids(await servers('files', { minTrust: 'rejected' }))).toHaveLength(4);
    });

    it('health, approved, namespace, latestOnly', async () => {
      expect(ids(await servers('files', { health: 'degraded' }))).toEqual(['io.github.two/files@1.0.0']);
      expect(ids(await servers('files', { approved: true })).sort()).toEqual(['io.github.one/files@1.0.0', 'io.github.two/files@0.9.0']);
      expect(ids(await servers('files', { namespace: 'io.github.two' })).sort()).toEqual(['io.github.two/files@0.9.0', 'io.github.two/files@1.0.0']);
      expect(ids(await servers('files', { namespace: 'io.github.nobody' }))).toEqual([]);
      expect(ids(await servers('files', { namespace: 'io.github.two', latestOnly: true }))).toEqual(['io.github.two/files@1.0.0']);
    });

    it('statuses: active and deprecated by default, deleted only when asked', async () => {
      expect(ids(await servers('files'))).not.toContain('io.github.three/files@1.0.0');
      expect(ids(await servers('files'))).toContain('io.github.four/files@1.0.0');
      expect(ids(await servers('files', { statuses: ['deleted'] }))).toEqual(['io.github.three/files@1.0.0']);
      expect(ids(await servers('files', { statuses: ['active'] }))).not.toContain('io.github.four/files@1.0.0');
    });

    it('counts facets over all matches, not just the page', async () => {
      const result = await index.searchServers({ q: 'files', filters: {}, limit: 1, facets: ['registryType', 'transport', 'trustLevel', 'health', 'namespace', 'approved'] });
      expect(result.hits).toHaveLength(1);
      expect(result.total).toBe(4);
      expect(result.facets.registryType).toEqual({ npm: 2, pypi: 1, oci: 1 });
      expect(result.facets.transport).toEqual({ stdio: 2, 'streamable-http': 1, sse: 1 });
      expect(result.facets.trustLevel).toEqual({ verified: 1, passed: 1, 'needs-review': 1, rejected: 1 });
      expect(result.facets.health).toEqual({ healthy: 1, degraded: 1, down: 1 });
      expect(result.facets.namespace).toEqual({ 'io.github.two': 2, 'io.github.one': 1, 'io.github.four': 1 });
      expect(result.facets.approved).toEqual({ true: 2, false: 2 });
      expect(Object.keys((await index.searchServers({ q: 'files', filters: {}, limit: 1, facets: ['health'] })).facets)).toEqual(['health']);
    });
  });

  describe('ranking', () => {
    it('orders equal relevance by trust, then health', async () => {
      await index.upsertServers([
        server('io.github.aaa/alpha', { trustLevel: 'passed', health: 'healthy' }),
        server('io.github.bbb/alpha', { trustLevel: 'verified', health: 'degraded' }),
        server('io.github.ccc/alpha', { trustLevel: null, health: 'healthy' }),
        server('io.github.ddd/alpha', { trustLevel: 'verified', health: 'healthy' }),
        server('io.github.eee/alpha', { trustLevel: 'rejected', health: 'healthy' }),
      ]);
      const expected = ['io.github.ddd/alpha@1.0.0', 'io.github.bbb/alpha@1.0.0', 'io.github.aaa/alpha@1.0.0', 'io.github.eee/alpha@1.0.0', 'io.github.ccc/alpha@1.0.0'];
      expect(ids(await servers('alpha'))).toEqual(expected);
      // An empty query lists everything by the same tie-breakers.
      expect(ids(await servers(''))).toEqual(expected);
    });

    it('puts text relevance first: a name match outranks a tool-description match of a better-trusted server', async () => {
      await index.upsertServers([
        server('io.github.acme/notes', { trustLevel: 'verified', toolDescriptions: ['Export a calendar to a file'] }),
        server('io.github.acme/calendar', { trustLevel: 'rejected' }),
      ]);
      expect(ids(await servers('calendar'))).toEqual(['io.github.acme/calendar@1.0.0', 'io.github.acme/notes@1.0.0']);
    });
  });

  describe('tool search', () => {
    beforeEach(async () => {
      await index.upsertTools([
        tool('io.github.acme/git-server', 'git_diff', 'Show the diff between two branches', ['base', 'head']),
        tool('io.github.acme/git-server', 'git_log', 'Show the commit history of a branch', ['branch']),
        tool('io.github.acme/image-tools', 'image_diff', 'Compare two images pixel by pixel', ['left', 'right']),
        tool('io.github.acme/weather', 'get_forecast', 'Weather forecast for a city', ['city'], { approved: false, trustLevel: 'passed' }),
      ]);
    });

    it('finds the git diff tool from a sentence', async () => {
      const result = await index.searchTools({ q: 'a git server that can diff branches', filters: {}, limit: 5 });
      expect(result.hits[0]!.document.id).toBe('io.github.acme/git-server@1.0.0#git_diff');
      expect(result.hits[0]!.document.serverName).toBe('io.github.acme/git-server');
      expect(result.hits[0]!.highlights['description']).toBe('Show the <em>diff</em> between two <em>branches</em>');
    });

    it('searches parameter names and applies the same filters', async () => {
      expect(ids(await index.searchTools({ q: 'city', filters: {}, limit: 5 }))).toEqual(['io.github.acme/weather@1.0.0#get_forecast']);
      expect(ids(await index.searchTools({ q: 'city', filters: { approved: true }, limit: 5 }))).toEqual([]);
      expect(ids(await index.searchTools({ q: 'forecast', filters: { minTrust: 'verified' }, limit: 5 }))).toEqual([]);
      expect(ids(await index.searchTools({ q: 'diff', filters: { namespace: 'io.github.acme', registryType: 'npm', transport: 'stdio' }, limit: 5 })).sort()).toEqual([
        'io.github.acme/git-server@1.0.0#git_diff',
        'io.github.acme/image-tools@1.0.0#image_diff',
      ]);
    });
  });

  describe('highlights', () => {
    it('escapes HTML and wraps matches in <em>', async () => {
      await index.upsertServers([server('io.github.acme/reader', { title: 'Reader', description: 'Reads <b>bold</b> files & more', toolNames: ['read_file', 'list_dir'] })]);
      const [hit] = (await servers('files')).hits;
      expect(hit!.highlights['description']).toBe('Reads &lt;b&gt;bold&lt;/b&gt; <em>files</em> &amp; more');
      expect(hit!.highlights['title']).toBe('Reader');
      const [byTool] = (await servers('read')).hits;
      expect(byTool!.highlights['toolNames']).toBe('<em>read</em>_file');
    });
  });

  describe('cursor pagination', () => {
    beforeEach(async () => {
      await index.upsertServers(Array.from({ length: 25 }, (_, i) => server(`io.github.page${String(i).padStart(2, '0')}/paging`, { trustLevel: i % 3 === 0 ? 'verified' : 'passed' })));
    });

    it.each([['paging'], ['']])('returns each match exactly once (q=%j)', async (q) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const result = await index.searchServers({ q, filters: {}, limit: 7, ...(cursor === undefined ? {} : { cursor }) });
        expect(result.total).toBe(25);
        seen.push(...ids(result));
        if (result.nextCursor === null) break;
        cursor = result.nextCursor;
      }
      expect(seen).toHaveLength(25);
      expect(new Set(seen).size).toBe(25);
    });

    it('refuses a malformed cursor or one from another query', async () => {
      const first = await index.searchServers({ q: 'paging', filters: {}, limit: 5 });
      const bad = ['not a cursor!', Buffer.from('{"a":1}').toString('base64url'), 'AAAA'];
      for (const cursor of bad) await expectInvalidCursor(index.searchServers({ q: 'paging', filters: {}, limit: 5, cursor }));
      await expectInvalidCursor(index.searchServers({ q: 'other', filters: {}, limit: 5, cursor: first.nextCursor! }));
      await expectInvalidCursor(index.searchTools({ q: 'paging', filters: {}, limit: 5, cursor: 'garbage' }));
    });
  });

  describe('writes', () => {
    it('upsert of an existing id replaces the document (text and attributes)', async () => {
      await index.upsertServers([server('io.github.acme/thing', { description: 'Old words here', approved: false })]);
      await index.upsertServers([server('io.github.acme/thing', { description: 'Brand new text', approved: true })]);
      expect(ids(await servers('old'))).toEqual([]);
      expect(ids(await servers('brand', { approved: true }))).toEqual(['io.github.acme/thing@1.0.0']);
      expect(await index.count()).toEqual({ servers: 1, tools: 0 });
    });

    it('removeVersion removes the server version and its tools only', async () => {
      await index.upsertServers([server('io.github.acme/git-server'), server('io.github.acme/git-server', { version: '2.0.0' })]);
      await index.upsertTools([tool('io.github.acme/git-server', 'git_diff', 'Show a diff', []), tool('io.github.acme/git-server', 'git_diff', 'Show a diff', [], { version: '2.0.0' })]);
      await index.removeVersion('io.github.acme/git-server', '1.0.0');
      expect(ids(await servers('git'))).toEqual(['io.github.acme/git-server@2.0.0']);
      expect(ids(await index.searchTools({ q: 'diff', filters: {}, limit: 5 }))).toEqual(['io.github.acme/git-server@2.0.0#git_diff']);
      expect(await index.count()).toEqual({ servers: 1, tools: 1 });
    });

    it('rebuild replaces everything with the given documents', async () => {
      await index.upsertServers([server('io.github.acme/before')]);
      await index.rebuild(batches([[server('io.github.acme/after-one')], [server('io.github.acme/after-two')]]), batches([[tool('io.github.acme/after-one', 'lookup', 'Look things up', [])]]));
      expect(ids(await servers('before'))).toEqual([]);
      expect(ids(await servers('after')).sort()).toEqual(['io.github.acme/after-one@1.0.0', 'io.github.acme/after-two@1.0.0']);
      expect(ids(await index.searchTools({ q: 'lookup', filters: {}, limit: 5 }))).toEqual(['io.github.acme/after-one@1.0.0#lookup']);
      expect(await index.count()).toEqual({ servers: 2, tools: 1 });
    });
  });
}

async function expectInvalidCursor(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolportError);
  expect(error).toMatchObject({ kind: 'invalid', code: 'INVALID_CURSOR' });
}

async function* batches<T>(groups: T[][]): AsyncIterable<T[]> {
  for (const group of groups) yield group;
}

/** A server version document; the name's namespace and `1.0.0` unless overridden. */
export function server(serverName: string, overrides: Partial<ServerDocument> = {}): ServerDocument {
  const version = overrides.version ?? '1.0.0';
  return {
    id: `${serverName}@${version}`,
    serverName,
    namespace: serverName.split('/')[0]!,
    version,
    title: null,
    description: '',
    keywords: [],
    toolNames: [],
    toolDescriptions: [],
    packageIdentifiers: [],
    registryTypes: ['npm'],
    transports: ['stdio'],
    trustLevel: 'passed',
    score: null,
    approved: true,
    health: null,
    status: 'active',
    isLatest: true,
    publishedAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
    ...overrides,
  };
}

export function tool(serverName: string, toolName: string, description: string, parameterNames: string[], overrides: Partial<ToolDocument> = {}): ToolDocument {
  const version = overrides.version ?? '1.0.0';
  return {
    id: `${serverName}@${version}#${toolName}`,
    serverName,
    namespace: serverName.split('/')[0]!,
    version,
    toolName,
    title: null,
    description,
    parameterNames,
    registryTypes: ['npm'],
    transports: ['stdio'],
    trustLevel: 'passed',
    approved: true,
    health: null,
    status: 'active',
    isLatest: true,
    ...overrides,
  };
}
