import type { EnvReader } from '@toolport/config';
import { CATALOG_VISIBILITY_MODES, type CatalogVisibilityMode } from './visibility';

export interface VisibilityOptions {
  mode: CatalogVisibilityMode;
}

/** `TOOLPORT_CATALOG_VISIBILITY=approved|all` (default `approved`: the safe default for agents). */
export function parseVisibilityConfig(read: EnvReader): VisibilityOptions {
  const raw = read.string('TOOLPORT_CATALOG_VISIBILITY', 'approved');
  const valid = (CATALOG_VISIBILITY_MODES as readonly string[]).includes(raw);
  read.check('TOOLPORT_CATALOG_VISIBILITY', valid, `must be one of ${CATALOG_VISIBILITY_MODES.join(', ')} (got ${raw})`);
  return { mode: valid ? (raw as CatalogVisibilityMode) : 'approved' };
}
