import { ConfigError, EnvReader } from '@toolport/config';
import { EmbeddedSearchIndex } from './embedded-search-index';
import { MeilisearchSearchIndex } from './meilisearch-search-index';
import { createSearchIndex, parseSearchConfig } from './search-config';

function parse(env: Record<string, string>): ReturnType<typeof parseSearchConfig> {
  const read = new EnvReader(env);
  const config = parseSearchConfig(read);
  read.done();
  return config;
}

describe('parseSearchConfig', () => {
  it('defaults to the embedded engine', () => {
    expect(parse({})).toEqual({ meiliUrl: null, meiliApiKey: null, indexPrefix: 'catalog', meiliTaskTimeoutMs: 60_000 });
  });

  it('reads MEILI_URL, MEILI_API_KEY and the index prefix', () => {
    expect(parse({ MEILI_URL: 'http://meili:7700', MEILI_API_KEY: 'k', TOOLPORT_SEARCH_INDEX_PREFIX: 'search-a', TOOLPORT_MEILI_TASK_TIMEOUT_MS: '5000' })).toEqual({
      meiliUrl: 'http://meili:7700',
      meiliApiKey: 'k',
      indexPrefix: 'search-a',
      meiliTaskTimeoutMs: 5000,
    });
  });

  it('refuses a bad URL or prefix', () => {
    expect(() => parse({ MEILI_URL: 'ftp://meili' })).toThrow(ConfigError);
    expect(() => parse({ TOOLPORT_SEARCH_INDEX_PREFIX: 'Bad Prefix!' })).toThrow(/TOOLPORT_SEARCH_INDEX_PREFIX/);
  });
});

describe('createSearchIndex', () => {
  it('is embedded without MEILI_URL', () => {
    expect(createSearchIndex(parse({}), 'toolport')).toBeInstanceOf(EmbeddedSearchIndex);
  });

  it('is Meilisearch with MEILI_URL, its indexes prefixed by the instance', () => {
    const index = createSearchIndex(parse({ MEILI_URL: 'http://127.0.0.1:7700' }), 'toolport');
    expect(index).toBeInstanceOf(MeilisearchSearchIndex);
    expect(index.engine).toBe('meilisearch');
    expect((index as MeilisearchSearchIndex).indexUids).toEqual({ servers: 'toolport_catalog_servers', tools: 'toolport_catalog_tools' });
  });
});
