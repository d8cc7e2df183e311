import { type CatalogChange, catalogChangeOf } from './catalog-change';
import type { CatalogEvent, HealthCatalogEvent, PublisherCatalogEvent, ScannerCatalogEvent, VersionKey } from './catalog-events';
import type { Db } from './db';
import { evolveHealth } from './health.read-model';
import { loadHealth, saveHealth } from './health.repository';
import { evolveSecurity } from './security.read-model';
import { loadSecurity, saveSecurity } from './security.repository';
import { evolveVersion } from './version.read-model';
import { ensureServer, insertTools, loadVersion, saveVersion, setLatest } from './version.repository';

/** What applying one event did: the change for the feed and the versions whose search documents changed. */
export interface AppliedEvent {
  change: CatalogChange;
  touched: VersionKey[];
}

/**
 * Applies one event to the read model through `db` (the projection's transaction, or the
 * rebuild's). SQL only: the search index and the change feed are the caller's (see
 * CatalogProjection), so a rebuild can replay without either.
 */
export async function applyCatalogEvent(db: Db, schema: string, event: CatalogEvent): Promise<AppliedEvent> {
  const touched = await apply(db, schema, event);
  return { change: catalogChangeOf(event), touched };
}

function apply(db: Db, schema: string, event: CatalogEvent): Promise<VersionKey[]> {
  switch (event.type) {
    case 'VersionPublished':
    case 'VersionStatusChanged':
    case 'LatestVersionChanged':
      return applyPublisherEvent(db, schema, event);
    case 'HealthStatusChanged':
    case 'ToolDriftDetected':
      return applyHealthEvent(db, schema, event);
    default:
      return applyScannerEvent(db, schema, event);
  }
}

async function applyPublisherEvent(db: Db, schema: string, event: PublisherCatalogEvent): Promise<VersionKey[]> {
  if (event.type === 'LatestVersionChanged') return setLatest(db, schema, event.data.serverName, event.data.latest);
  const key = { serverName: event.data.serverName, version: event.data.version };
  const current = await loadVersion(db, schema, key);
  const next = evolveVersion(current, event);
  if (next === null || next === current) return [];
  if (event.type === 'VersionPublished') {
    await ensureServer(db, schema, key.serverName, event.data.publishedAt);
    await saveVersion(db, schema, next);
    await insertTools(db, schema, next);
    // The LatestVersionChanged that follows says the same; applying it here as well means no
    // reader ever sees the new latest unflagged (or two flagged) between the two messages.
    const flagged = event.data.isLatest ? await setLatest(db, schema, key.serverName, key.version) : [];
    return [key, ...flagged.filter((k) => k.version !== key.version)];
  }
  await saveVersion(db, schema, next);
  return [key];
}

async function applyScannerEvent(db: Db, schema: string, event: ScannerCatalogEvent): Promise<VersionKey[]> {
  const key = { serverName: event.data.serverName, version: event.data.version };
  await saveSecurity(db, schema, key, evolveSecurity(await loadSecurity(db, schema, key), event));
  return [key];
}

async function applyHealthEvent(db: Db, schema: string, event: HealthCatalogEvent): Promise<VersionKey[]> {
  const key = { serverName: event.data.serverName, version: event.data.version };
  await saveHealth(db, schema, key, evolveHealth(await loadHealth(db, schema, key), event));
  return [key];
}
