import { eventStoreMigrations } from '@toolport/event-store';
import { adminRoutesOf, officialPrefixes, type ServiceDefinition } from '@toolport/platform';
import { catalogAppModule } from './app.module';
import { CATALOG_DEFAULT_PORT, loadConfig } from './config';

export const catalogService: ServiceDefinition = {
  name: 'catalog',
  defaultPort: CATALOG_DEFAULT_PORT,
  migrations: eventStoreMigrations,
  loadConfig,
  module: catalogAppModule,
  routes: [...officialPrefixes('/servers', ['GET', 'HEAD']), { prefix: '/api/v1/search' }, { prefix: '/api/v1/tools' }, { prefix: '/api/v1/servers' }, { prefix: '/mcp' }, ...adminRoutesOf('catalog')],
};
