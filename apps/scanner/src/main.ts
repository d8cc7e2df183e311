// './instrument' must stay the first import: it starts OpenTelemetry before http and Nest load.
import { config } from './instrument';
import { runStandalone } from '@toolport/platform';
import { scannerService } from './service';

void runStandalone(scannerService, config);
