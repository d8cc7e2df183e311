// './instrument' must stay the first import: it starts OpenTelemetry before http and Nest load.
import { config } from './instrument';
import { runStandalone } from '@toolport/platform';
import { healthService } from './service';

void runStandalone(healthService, config);
