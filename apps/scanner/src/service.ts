import { eventStoreMigrations } from '@toolport/event-store';
import { adminRoutesOf, type ServiceDefinition } from '@toolport/platform';
import { scannerAppModule } from './app.module';
import { SCANNER_DEFAULT_PORT, type ScannerConfig, loadConfig } from './config';
import { scannerMigrations } from './scans/scanner.migrations';

export const scannerService: ServiceDefinition<ScannerConfig> = {
  name: 'scanner',
  defaultPort: SCANNER_DEFAULT_PORT,
  migrations: [...eventStoreMigrations, ...scannerMigrations],
  loadConfig,
  module: (runtime, config) => scannerAppModule(runtime, config),
  routes: [{ prefix: '/api/v1/scans' }, { prefix: '/api/v1/reviews' }, ...adminRoutesOf('scanner')],
};
