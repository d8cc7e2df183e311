import { type Env, type PlatformConfig, readPlatformConfig } from '@toolport/config';

/** The catalog service's configuration: the only place it reads the environment. */
export type CatalogConfig = PlatformConfig;

export const CATALOG_DEFAULT_PORT = 8082;

export function loadConfig(env: Env = process.env): CatalogConfig {
  return readPlatformConfig(env, 'catalog', CATALOG_DEFAULT_PORT);
}
