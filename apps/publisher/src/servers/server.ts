import type { CompatibilityReport, DataOf, LatestVersionChanged, McpTool, VersionPublished, VersionStatusChanged } from '@toolport/contracts';

export type VersionStatus = 'active' | 'deprecated' | 'deleted';

export interface VersionRecord {
  version: string;
  server: Record<string, unknown>;
  tools: McpTool[];
  compatibility: CompatibilityReport;
  status: VersionStatus;
  statusMessage: string | null;
  publishedAt: string;
  statusChangedAt: string;
  updatedAt: string;
}

/** One server (stream `server-<name>`): its versions and which one is latest. */
export interface ServerState {
  name: string | null;
  /** In publish order. */
  versions: VersionRecord[];
  latest: string | null;
}

export type ServerEvent =
  | { type: 'VersionPublished'; data: DataOf<typeof VersionPublished> }
  | { type: 'VersionStatusChanged'; data: DataOf<typeof VersionStatusChanged> }
  | { type: 'LatestVersionChanged'; data: DataOf<typeof LatestVersionChanged> };

export const serverStreamId = (serverName: string): string => `server-${serverName}`;

export const initialServerState = (): ServerState => ({ name: null, versions: [], latest: null });

export function evolveServer(state: ServerState, event: ServerEvent): ServerState {
  switch (event.type) {
    case 'VersionPublished': {
      const { data } = event;
      const record: VersionRecord = {
        version: data.version,
        server: data.server,
        tools: data.tools,
        compatibility: data.compatibility,
        status: 'active',
        statusMessage: null,
        publishedAt: data.publishedAt,
        statusChangedAt: data.publishedAt,
        updatedAt: data.publishedAt,
      };
      return { ...state, name: data.serverName, versions: [...state.versions, record] };
    }
    case 'VersionStatusChanged': {
      const { data } = event;
      return {
        ...state,
        versions: state.versions.map((v) =>
          v.version !== data.version
            ? v
            : {
                ...v,
                status: data.status,
                statusMessage: data.statusMessage,
                // The official registry moves status_changed_at only when the status itself changes.
                statusChangedAt: data.previousStatus !== data.status ? data.changedAt : v.statusChangedAt,
                updatedAt: data.changedAt,
              },
        ),
      };
    }
    case 'LatestVersionChanged':
      return { ...state, latest: event.data.latest };
  }
}

export const findVersion = (state: ServerState, version: string): VersionRecord | undefined =>
  state.versions.find((v) => v.version === version);
