import { eventStoreMigrations } from '@toolport/event-store';
import { adminRoutesOf, officialPrefixes, type ServiceDefinition } from '@toolport/platform';
import { publisherAppModule, publisherMigrations } from './app.module';
import { PUBLISHER_DEFAULT_PORT, loadConfig } from './config';

/** `/api/v1/servers/{name}/versions/{version}/compatibility`: the rest of /api/v1/servers is the catalog's. */
const COMPATIBILITY_PATH = /^\/api\/v1\/servers\/[^/]+\/versions\/[^/]+\/compatibility$/;

export const publisherService: ServiceDefinition = {
  name: 'publisher',
  defaultPort: PUBLISHER_DEFAULT_PORT,
  migrations: [...eventStoreMigrations, ...publisherMigrations],
  loadConfig,
  module: publisherAppModule,
  routes: [...officialPrefixes('/publish', ['POST']), ...officialPrefixes('/validate', ['POST']), ...officialPrefixes('/auth', ['POST']), ...officialPrefixes('/health', ['GET']), ...officialPrefixes('/ping', ['GET']), ...officialPrefixes('/version', ['GET']), ...officialPrefixes('/servers', ['PATCH', 'PUT']), { prefix: '/api/v1/tokens' }, { prefix: '/api/v1/namespaces', methods: ['GET', 'PUT'] }, { prefix: '/api/v1/servers', pattern: COMPATIBILITY_PATH }, { prefix: '/docs/' }, ...adminRoutesOf('publisher')],
};
