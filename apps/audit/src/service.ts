import { eventStoreMigrations } from '@toolport/event-store';
import { adminRoutesOf, type ServiceDefinition } from '@toolport/platform';
import { auditAppModule, auditMigrations } from './app.module';
import { AUDIT_DEFAULT_PORT, type AuditConfig, loadConfig } from './config';

export const auditService: ServiceDefinition<AuditConfig> = {
  name: 'audit',
  defaultPort: AUDIT_DEFAULT_PORT,
  migrations: [...eventStoreMigrations, ...auditMigrations],
  loadConfig,
  module: auditAppModule,
  routes: [{ prefix: '/api/v1/audit' }, ...adminRoutesOf('audit')],
};
