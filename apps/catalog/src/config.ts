import { type Env, EnvReader, type PlatformConfig, readPlatformConfig } from '@toolport/config';
import { parseSearchConfig, type SearchConfig } from './search/search-config';
import { parseVisibilityConfig, type VisibilityOptions } from './visibility/visibility.config';

/** The catalog service's configuration: the only place it reads the environment. */
export interface CatalogConfig extends PlatformConfig {
  visibility: VisibilityOptions;
  search: SearchConfig;
  /**
   * TOOLPORT_CATALOG_RESPONSE_CACHE_MB (default 256, 0: off): memory for answers of
   * `GET /servers/{name}/versions/{version}` (official-api/version-response-cache.ts).
   */
  responseCacheBytes: number;
}

export const CATALOG_DEFAULT_PORT = 8082;

export function loadConfig(env: Env = process.env): CatalogConfig {
  const platform = readPlatformConfig(env, 'catalog', CATALOG_DEFAULT_PORT);
  const read = new EnvReader(env);
  const visibility = parseVisibilityConfig(read);
  const search = parseSearchConfig(read);
  const responseCacheBytes = read.int('TOOLPORT_CATALOG_RESPONSE_CACHE_MB', 256, { min: 0, max: 65_536 }) * 1024 * 1024;
  read.done();
  return { ...platform, visibility, search, responseCacheBytes };
}
