import { eventStoreMigrations } from '@toolport/event-store';
import { adminRoutesOf, type ServiceDefinition } from '@toolport/platform';
import { scannerAppModule } from './app.module';
import { SCANNER_DEFAULT_PORT, loadConfig } from './config';

export const scannerService: ServiceDefinition = {
  name: 'scanner',
  defaultPort: SCANNER_DEFAULT_PORT,
  migrations: eventStoreMigrations,
  loadConfig,
  module: scannerAppModule,
  routes: [{ prefix: '/api/v1/scans' }, { prefix: '/api/v1/reviews' }, ...adminRoutesOf('scanner')],
};
