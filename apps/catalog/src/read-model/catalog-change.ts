import type { CatalogEvent } from './catalog-events';

/** What the change feed (`GET /api/v1/changes`, SSE) says happened, in the order the catalog applied it. */
export const CATALOG_CHANGE_KINDS = ['published', 'status', 'latest', 'scan', 'approval', 'health', 'drift'] as const;
export type CatalogChangeKind = (typeof CATALOG_CHANGE_KINDS)[number];

export interface CatalogChange {
  kind: CatalogChangeKind;
  serverName: string;
  /** The version concerned; for `latest` the new latest (null when no version is left). */
  version: string | null;
  /** When it happened (the event's own time). */
  at: string;
}

/** A change as stored in `changes`: `id` is the SSE event id a client resumes from (Last-Event-ID). */
export interface CatalogChangeRecord extends CatalogChange {
  id: number;
  /**
   * The version had been approved (approved, or revoked since) when the change was recorded:
   * callers who see only approved versions are sent only such changes. Not part of the event sent.
   */
  approvedOnce: boolean;
}

export function catalogChangeOf(event: CatalogEvent): CatalogChange {
  switch (event.type) {
    case 'VersionPublished':
      return { kind: 'published', serverName: event.data.serverName, version: event.data.version, at: event.data.publishedAt };
    case 'VersionStatusChanged':
      return { kind: 'status', serverName: event.data.serverName, version: event.data.version, at: event.data.changedAt };
    case 'LatestVersionChanged':
      return { kind: 'latest', serverName: event.data.serverName, version: event.data.latest, at: event.metadata.occurredAt };
    case 'ScanRequested':
      return { kind: 'scan', serverName: event.data.serverName, version: event.data.version, at: event.data.requestedAt };
    case 'ScanCompleted':
      return { kind: 'scan', serverName: event.data.serverName, version: event.data.version, at: event.data.completedAt };
    case 'ScanFailed':
      return { kind: 'scan', serverName: event.data.serverName, version: event.data.version, at: event.data.failedAt };
    case 'VersionApproved':
      return { kind: 'approval', serverName: event.data.serverName, version: event.data.version, at: event.data.approvedAt };
    case 'VersionRejected':
      return { kind: 'approval', serverName: event.data.serverName, version: event.data.version, at: event.data.rejectedAt };
    case 'ApprovalRevoked':
      return { kind: 'approval', serverName: event.data.serverName, version: event.data.version, at: event.data.revokedAt };
    case 'HealthStatusChanged':
      return { kind: 'health', serverName: event.data.serverName, version: event.data.version, at: event.data.checkedAt };
    case 'ToolDriftDetected':
      return { kind: 'drift', serverName: event.data.serverName, version: event.data.version, at: event.data.detectedAt };
  }
}
