import { eventStoreMigrations } from '@toolport/event-store';
import { adminRoutesOf, type ServiceDefinition } from '@toolport/platform';
import { auditAppModule } from './app.module';
import { AUDIT_DEFAULT_PORT, loadConfig } from './config';

export const auditService: ServiceDefinition = {
  name: 'audit',
  defaultPort: AUDIT_DEFAULT_PORT,
  migrations: eventStoreMigrations,
  loadConfig,
  module: auditAppModule,
  routes: [{ prefix: '/api/v1/audit' }, ...adminRoutesOf('audit')],
};
