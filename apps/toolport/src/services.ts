import { auditService } from '@toolport/audit';
import { catalogService } from '@toolport/catalog';
import type { ServiceName } from '@toolport/contracts';
import { healthService } from '@toolport/health';
import { publisherService } from '@toolport/publisher';
import { scannerService } from '@toolport/scanner';

/** The five services the launcher runs, each with its own configuration loader and module. */
export const SERVICES = {
  publisher: publisherService,
  catalog: catalogService,
  scanner: scannerService,
  health: healthService,
  audit: auditService,
} satisfies Record<ServiceName, unknown>;
