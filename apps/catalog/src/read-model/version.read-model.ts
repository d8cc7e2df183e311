import type { CompatibilityReport, McpTool } from '@toolport/contracts';
import type { VersionStatus } from '../visibility/visibility';
import type { PublisherCatalogEvent } from './catalog-events';

/** A version's row in `versions`: the server.json as published plus the official registry metadata. */
export interface VersionState {
  serverName: string;
  version: string;
  /** The server.json exactly as the event carried it (JSON text, stored in a `json` column, so key order survives). */
  serverJson: string;
  schemaId: string;
  tools: McpTool[];
  /** How its tools compare with the previous semver version's, as the publisher recorded it (used by resolve). */
  compatibility: CompatibilityReport;
  status: VersionStatus;
  statusMessage: string | null;
  statusChangedAt: string;
  publishedAt: string;
  updatedAt: string;
}

type VersionEvent = Extract<PublisherCatalogEvent, { type: 'VersionPublished' | 'VersionStatusChanged' }>;

/**
 * The official registry's rules for one version (BEHAVIOUR.md section 2 "Registry-managed
 * metadata"): on publish `active` and every timestamp the publish time; a status change sets
 * `updatedAt`, and moves `statusChangedAt` only when the status itself changes. A version is
 * immutable: a second VersionPublished for it changes nothing.
 */
export function evolveVersion(state: VersionState | null, event: VersionEvent): VersionState | null {
  switch (event.type) {
    case 'VersionPublished': {
      if (state) return state;
      const { data } = event;
      return {
        serverName: data.serverName,
        version: data.version,
        serverJson: JSON.stringify(data.server),
        schemaId: data.schemaId,
        tools: data.tools,
        compatibility: data.compatibility,
        status: 'active',
        statusMessage: null,
        statusChangedAt: data.publishedAt,
        publishedAt: data.publishedAt,
        updatedAt: data.publishedAt,
      };
    }
    case 'VersionStatusChanged': {
      if (!state) return null;
      const { data } = event;
      return {
        ...state,
        status: data.status,
        statusMessage: data.statusMessage,
        statusChangedAt: data.status !== state.status ? data.changedAt : state.statusChangedAt,
        updatedAt: data.changedAt,
      };
    }
  }
}
