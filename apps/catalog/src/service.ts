import { eventStoreMigrations } from '@toolport/event-store';
import { adminRoutesOf, officialPrefixes, type ServiceDefinition } from '@toolport/platform';
import { catalogAppModule } from './app.module';
import { CATALOG_DEFAULT_PORT, type CatalogConfig, loadConfig } from './config';
import { catalogReadModelMigrations } from './read-model/read-model.migrations';

export const catalogService: ServiceDefinition<CatalogConfig> = {
  name: 'catalog',
  defaultPort: CATALOG_DEFAULT_PORT,
  migrations: [...eventStoreMigrations, ...catalogReadModelMigrations],
  loadConfig,
  module: (runtime, config) => catalogAppModule(runtime, config),
  routes: [...officialPrefixes('/servers', ['GET', 'HEAD']), { prefix: '/api/v1/search' }, { prefix: '/api/v1/tools' }, { prefix: '/api/v1/servers' }, { prefix: '/mcp' }, { prefix: '/api/v1/changes' }, ...adminRoutesOf('catalog')],
};
