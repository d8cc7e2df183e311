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
  serverIndexSettings,
  toMeiliServer,
  toMeiliTool,
  toolIndexSettings,
} from './meilisearch-settings';
import { server, tool } from './search-index.contract';

describe('Meilisearch filter translation', () => {
  it('keeps active and deprecated versions unless told otherwise', () => {
    expect(meiliFilter({})).toEqual(['status IN ["active", "deprecated"]']);
    expect(meiliFilter({ statuses: ['deleted'] })).toEqual(['status IN ["deleted"]']);
  });

  it('translates every filter', () => {
    expect(meiliFilter({ registryType: 'npm', transport: 'streamable-http', minTrust: 'passed', health: 'healthy', approved: false, namespace: 'io.github.acme', latestOnly: true })).toEqual([
      'status IN ["active", "deprecated"]',
      'registryTypes = "npm"',
      'transports = "streamable-http"',
      'trustRank >= 3',
      'health = "healthy"',
      'approved = false',
      'namespace = "io.github.acme"',
      'isLatest = true',
    ]);
    expect(meiliFilter({ minTrust: 'rejected' })).toContain('trustRank >= 1');
    expect(meiliFilter({ minTrust: 'verified' })).toContain('trustRank >= 4');
  });

  it('escapes quotes and backslashes so a value cannot end its string literal', () => {
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(meiliFilter({ namespace: 'x" OR approved = true OR namespace = "y' })).toContain('namespace = "x\\" OR approved = true OR namespace = \\"y"');
  });
});

describe('Meilisearch index settings', () => {
  it('searches attributes in ranking order and ranks by relevance, then trust, health and id', () => {
    const servers = serverIndexSettings();
    expect(servers.searchableAttributes).toEqual(['nameWords', 'title', 'toolNameWords', 'keywords', 'packageWords', 'description', 'toolDescriptions']);
    expect(servers.rankingRules).toEqual(['words', 'typo', 'proximity', 'attribute', 'exactness', 'trustRank:desc', 'healthRank:desc', 'id:asc']);
    expect(servers.typoTolerance).toEqual({ enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } });
    expect(toolIndexSettings().searchableAttributes).toEqual(['toolNameWords', 'title', 'parameterNames', 'description', 'serverNameWords']);
  });

  it('makes every filtered and faceted attribute filterable, and the rank fields sortable', () => {
    for (const settings of [serverIndexSettings(), toolIndexSettings()]) {
      const filterable = settings.filterableAttributes as string[];
      for (const clause of meiliFilter({ registryType: 'npm', transport: 'sse', minTrust: 'passed', health: 'down', approved: true, namespace: 'n', latestOnly: true })) {
        expect(filterable).toContain(clause.split(' ')[0]);
      }
      for (const attribute of meiliFacets(['registryType', 'transport', 'trustLevel', 'health', 'namespace', 'approved'])) expect(filterable).toContain(attribute);
      expect(filterable).toContain('versionKey');
      expect(settings.sortableAttributes).toEqual(expect.arrayContaining(['trustRank', 'healthRank', 'id']));
    }
  });
});

describe('Meilisearch documents', () => {
  it('adds a key Meilisearch accepts, our words and numeric ranks, and reads the port document back', () => {
    const doc = server('io.github.acme/git-server', { toolNames: ['git_diff', 'getBranches'], packageIdentifiers: ['@acme/git-mcp'], trustLevel: 'verified', health: 'healthy' });
    const meili = toMeiliServer(doc);
    expect(meili.key).toMatch(/^[a-f0-9]{64}$/);
    expect(meili.key).toBe(documentKey('io.github.acme/git-server@1.0.0'));
    expect(meili.nameWords).toBe('io github acme git server');
    expect(meili.toolNameWords).toBe('git diff get branches');
    expect(meili.packageWords).toBe('acme git mcp');
    expect(meili.versionKey).toBe('io.github.acme/git-server@1.0.0');
    expect([meili.trustRank, meili.healthRank]).toEqual([4, 5]);
    expect(toMeiliServer(server('io.github.acme/x', { trustLevel: null, health: null }))).toMatchObject({ trustRank: 0, healthRank: 3 });
    expect(fromMeiliServer({ ...meili, _formatted: {}, _rankingScore: 1 })).toEqual(doc);
  });

  it('does the same for tools', () => {
    const doc = tool('io.github.acme/git-server', 'git_diff', 'Show a diff', ['base']);
    const meili = toMeiliTool(doc);
    expect(meili).toMatchObject({ toolNameWords: 'git diff', serverNameWords: 'io github acme git server', versionKey: 'io.github.acme/git-server@1.0.0' });
    expect(fromMeiliTool({ ...meili })).toEqual(doc);
  });
});

describe('Meilisearch results', () => {
  it('escapes highlighted text and turns the marks into <em>', () => {
    const formatted = {
      description: `Reads <b>bold</b> ${PRE_TAG}files${POST_TAG} & more`,
      title: null,
      toolNames: [`${PRE_TAG}read${POST_TAG}_file`, 'list_dir'],
      keywords: ['none'],
    };
    expect(highlightsFrom(formatted, ['description', 'title', 'toolNames', 'keywords'])).toEqual({
      description: 'Reads &lt;b&gt;bold&lt;/b&gt; <em>files</em> &amp; more',
      toolNames: '<em>read</em>_file',
    });
  });

  it('shows only the first list field (ranking order) that has matching items, as the embedded engine does', () => {
    const formatted = { toolNames: [`${PRE_TAG}git${POST_TAG}_diff`], toolDescriptions: [`Show a ${PRE_TAG}git${POST_TAG} diff`] };
    expect(highlightsFrom(formatted, ['toolNames', 'toolDescriptions'])).toEqual({ toolNames: '<em>git</em>_diff' });
    expect(highlightsFrom({ toolNames: ['list_dir'], toolDescriptions: formatted.toolDescriptions }, ['toolNames', 'toolDescriptions'])).toEqual({ toolDescriptions: 'Show a <em>git</em> diff' });
  });

  it('maps facet distributions back to the port names, leaving out empty and null values', () => {
    expect(meiliFacets(['registryType', 'approved'])).toEqual(['registryTypes', 'approved']);
    expect(facetsFrom(['registryType', 'health'], { registryTypes: { npm: 2, pypi: 0 }, health: { null: 3, healthy: 1 } })).toEqual({ registryType: { npm: 2 }, health: { healthy: 1 } });
    expect(facetsFrom(['namespace'], undefined)).toEqual({ namespace: {} });
  });
});
