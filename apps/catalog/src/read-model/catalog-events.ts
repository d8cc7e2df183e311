import type {
  ApprovalRevoked,
  EventOf,
  HealthStatusChanged,
  LatestVersionChanged,
  ScanCompleted,
  ScanFailed,
  ScanRequested,
  ToolDriftDetected,
  VersionApproved,
  VersionPublished,
  VersionRejected,
  VersionStatusChanged,
} from '@toolport/contracts';

/** The events the catalog projects, by owning stream (one consumer per stream: NATS 2.9 allows one filter). */
export type PublisherCatalogEvent = EventOf<typeof VersionPublished> | EventOf<typeof VersionStatusChanged> | EventOf<typeof LatestVersionChanged>;
export type ScannerCatalogEvent =
  | EventOf<typeof ScanRequested>
  | EventOf<typeof ScanCompleted>
  | EventOf<typeof ScanFailed>
  | EventOf<typeof VersionApproved>
  | EventOf<typeof VersionRejected>
  | EventOf<typeof ApprovalRevoked>;
export type HealthCatalogEvent = EventOf<typeof HealthStatusChanged> | EventOf<typeof ToolDriftDetected>;
export type CatalogEvent = PublisherCatalogEvent | ScannerCatalogEvent | HealthCatalogEvent;

export const PUBLISHER_CATALOG_EVENTS = ['VersionPublished', 'VersionStatusChanged', 'LatestVersionChanged'] as const;
export const SCANNER_CATALOG_EVENTS = ['ScanRequested', 'ScanCompleted', 'ScanFailed', 'VersionApproved', 'VersionRejected', 'ApprovalRevoked'] as const;
export const HEALTH_CATALOG_EVENTS = ['HealthStatusChanged', 'ToolDriftDetected'] as const;

/** The JetStream source of each projection, relative to the instance (as in consumers.json). */
export const CATALOG_SOURCES = [
  { consumer: 'catalog-publisher-events', stream: 'publisher', filterSubject: 'publisher.server.>', types: PUBLISHER_CATALOG_EVENTS },
  { consumer: 'catalog-scanner-events', stream: 'scanner', filterSubject: 'scanner.>', types: SCANNER_CATALOG_EVENTS },
  { consumer: 'catalog-health-events', stream: 'health', filterSubject: 'health.>', types: HEALTH_CATALOG_EVENTS },
] as const;

export type CatalogSource = (typeof CATALOG_SOURCES)[number];

const PROJECTED = new Set<string>([...PUBLISHER_CATALOG_EVENTS, ...SCANNER_CATALOG_EVENTS, ...HEALTH_CATALOG_EVENTS]);

/**
 * Whether the catalog projects this event. Other types on the same subjects (a producer newer
 * than this catalog, NamespacePolicySet on `publisher.namespace.*`) are acknowledged unapplied:
 * the catalog holds no state for them.
 */
export function isCatalogEvent(event: { type: string }): event is CatalogEvent {
  return PROJECTED.has(event.type);
}

/** One server version, the key of every per-version row. */
export interface VersionKey {
  serverName: string;
  version: string;
}
