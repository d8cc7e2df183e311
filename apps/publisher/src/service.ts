import { eventStoreMigrations } from '@toolport/event-store';
import { adminRoutesOf, officialPrefixes, type ServiceDefinition } from '@toolport/platform';
import { publisherAppModule } from './app.module';
import { PUBLISHER_DEFAULT_PORT } from './config';

export const publisherService: ServiceDefinition = {
  name: 'publisher',
  defaultPort: PUBLISHER_DEFAULT_PORT,
  migrations: eventStoreMigrations,
  module: publisherAppModule,
  routes: [...officialPrefixes('/publish', ['POST']), ...officialPrefixes('/validate', ['POST']), ...officialPrefixes('/auth'), ...officialPrefixes('/health', ['GET']), ...officialPrefixes('/ping', ['GET']), ...officialPrefixes('/version', ['GET']), ...officialPrefixes('/servers', ['PATCH', 'PUT']), { prefix: '/api/v1/tokens' }, { prefix: '/docs/' }, ...adminRoutesOf('publisher')],
};
