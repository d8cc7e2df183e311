import { eventStoreMigrations } from '@toolport/event-store';
import { adminRoutesOf, type ServiceDefinition } from '@toolport/platform';
import { healthAppModule } from './app.module';
import { HEALTH_DEFAULT_PORT, type HealthConfig, loadConfig } from './config';
import { healthMigrations } from './targets/health.migrations';

export const healthService: ServiceDefinition<HealthConfig> = {
  name: 'health',
  defaultPort: HEALTH_DEFAULT_PORT,
  migrations: [...eventStoreMigrations, ...healthMigrations],
  loadConfig,
  module: (runtime, config) => healthAppModule(runtime, config),
  // `/status` is claimed by no other service (apps/toolport route table; the publisher's status
  // PATCH lives under /v0/servers/...).
  routes: [{ prefix: '/status' }, { prefix: '/api/v1/health' }, ...adminRoutesOf('health')],
};
