import { type CatalogChange, catalogChangeOf } from './catalog-change';
import type { CatalogEvent, HealthCatalogEvent, PublisherCatalogEvent, ScannerCatalogEvent, VersionKey } from './catalog-events';
import type { Db } from './db';
import { evolveHealth } from './health.read-model';
import { loadHealth, saveHealth } from './health.repository';
import { evolveSecurity } from './security.read-model';
import { loadSecurity, saveSecurity } from './security.repository';
import { type VersionState, evolveVersion } from './version.read-model';
import { insertPublishedVersion, loadVersion, saveVersion, setLatest, versionStateKey } from './version.repository';

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
export async function applyCatalogEvent(db: Db, schema: string, event: CatalogEvent, versions?: VersionStates): Promise<AppliedEvent> {
  const touched = await apply(db, schema, event, versions);
  return { change: catalogChangeOf(event), touched };
}

/**
 * What a group of events applied in one transaction knows as it goes: version rows loaded at once
 * (versionStateKey → state, null: no such version) and kept up to date, and the latest version
 * each server was last given. One query for the group instead of one per event, and no second
 * update for the LatestVersionChanged that follows a VersionPublished saying the same.
 */
export interface VersionStates {
  versions: Map<string, VersionState | null>;
  latest: Map<string, string | null>;
}

function apply(db: Db, schema: string, event: CatalogEvent, versions: VersionStates | undefined): Promise<VersionKey[]> {
  switch (event.type) {
    case 'VersionPublished':
    case 'VersionStatusChanged':
    case 'LatestVersionChanged':
      return applyPublisherEvent(db, schema, event, versions);
    case 'HealthStatusChanged':
    case 'ToolDriftDetected':
      return applyHealthEvent(db, schema, event);
    default:
      return applyScannerEvent(db, schema, event);
  }
}

async function applyPublisherEvent(db: Db, schema: string, event: PublisherCatalogEvent, versions: VersionStates | undefined): Promise<VersionKey[]> {
  if (event.type === 'LatestVersionChanged') {
    const { serverName, latest } = event.data;
    if (versions?.latest.has(serverName) && versions.latest.get(serverName) === latest) return [];
    versions?.latest.set(serverName, latest);
    return setLatest(db, schema, serverName, latest);
  }
  const key = { serverName: event.data.serverName, version: event.data.version };
  const stateKey = versionStateKey(key);
  const current = versions?.versions.has(stateKey) ? versions.versions.get(stateKey)! : await loadVersion(db, schema, key);
  const next = evolveVersion(current, event);
  if (next === null || next === current) return [];
  versions?.versions.set(stateKey, next);
  if (event.type === 'VersionPublished') {
    await insertPublishedVersion(db, schema, next, event.data.publishedAt);
    // The LatestVersionChanged that follows says the same; applying it here as well means no
    // reader ever sees the new latest unflagged (or two flagged) between the two messages.
    if (event.data.isLatest) versions?.latest.set(key.serverName, key.version);
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
