import { eventStoreMigrations } from '@toolport/event-store';
import { adminRoutesOf, type ServiceDefinition } from '@toolport/platform';
import { healthAppModule } from './app.module';
import { HEALTH_DEFAULT_PORT, loadConfig } from './config';

export const healthService: ServiceDefinition = {
  name: 'health',
  defaultPort: HEALTH_DEFAULT_PORT,
  migrations: eventStoreMigrations,
  loadConfig,
  module: healthAppModule,
  routes: [{ prefix: '/status' }, { prefix: '/api/v1/health' }, ...adminRoutesOf('health')],
};
