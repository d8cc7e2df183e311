// './instrument' must stay the first import: it starts OpenTelemetry before http and Nest load.
import { config } from './instrument';
import { runStandalone } from '@toolport/platform';
import { publisherService } from './service';

void runStandalone(publisherService, config);
