import type { EnvReader } from '@toolport/config';
import { EmbeddedSearchIndex } from './embedded-search-index';
import { MeilisearchSearchIndex } from './meilisearch-search-index';
import type { SearchIndex } from './search-index';

/** Which search engine the catalog uses, and how to reach it. */
export interface SearchConfig {
  /** MEILI_URL: Meilisearch when set, the embedded engine otherwise. */
  meiliUrl: string | null;
  /** MEILI_API_KEY: a key allowed to manage indexes, documents, settings and tasks. */
  meiliApiKey: string | null;
  /**
   * TOOLPORT_SEARCH_INDEX_PREFIX (default `catalog`): index uids are
   * `<TOOLPORT_INSTANCE>_<prefix>_servers` and `..._tools`, so instances sharing one Meilisearch
   * never see each other's documents.
   */
  indexPrefix: string;
  /** TOOLPORT_MEILI_TASK_TIMEOUT_MS (default 60000): longest wait for one Meilisearch task. */
  meiliTaskTimeoutMs: number;
}

const INDEX_PREFIX = /^[a-z0-9_-]{1,40}$/;

export function parseSearchConfig(read: EnvReader): SearchConfig {
  const indexPrefix = read.string('TOOLPORT_SEARCH_INDEX_PREFIX', 'catalog');
  read.check('TOOLPORT_SEARCH_INDEX_PREFIX', INDEX_PREFIX.test(indexPrefix), 'must be 1-40 characters a-z, 0-9, _ and -');
  return {
    meiliUrl: read.url('MEILI_URL', null, ['http:', 'https:']),
    meiliApiKey: read.optional('MEILI_API_KEY'),
    indexPrefix,
    meiliTaskTimeoutMs: read.int('TOOLPORT_MEILI_TASK_TIMEOUT_MS', 60_000, { min: 1_000, max: 3_600_000 }),
  };
}

/** Meilisearch when configured, else the embedded engine (one catalog replica; see DESIGN.md "Search"). */
export function createSearchIndex(config: SearchConfig, instance: string): SearchIndex {
  if (config.meiliUrl === null) return new EmbeddedSearchIndex();
  return new MeilisearchSearchIndex({ url: config.meiliUrl, apiKey: config.meiliApiKey, indexPrefix: `${instance}_${config.indexPrefix}`, taskTimeoutMs: config.meiliTaskTimeoutMs });
}
