import type { ServerState, VersionRecord } from './server';

export const OFFICIAL_META_KEY = 'io.modelcontextprotocol.registry/official';
export const COMPATIBILITY_META_KEY = 'io.toolport/compatibility';

/**
 * The official `ServerResponse`: the server.json plus registry-managed metadata, which
 * publishers cannot set. Toolport's own data goes under its `io.toolport/*` keys.
 */
export function toServerResponse(state: ServerState, record: VersionRecord) {
  return {
    server: record.server,
    _meta: {
      [OFFICIAL_META_KEY]: {
        status: record.status,
        ...(record.statusMessage !== null ? { statusMessage: record.statusMessage } : {}),
        statusChangedAt: record.statusChangedAt,
        publishedAt: record.publishedAt,
        updatedAt: record.updatedAt,
        isLatest: state.latest === record.version,
      },
      [COMPATIBILITY_META_KEY]: record.compatibility,
    },
  };
}

export type ServerResponse = ReturnType<typeof toServerResponse>;
