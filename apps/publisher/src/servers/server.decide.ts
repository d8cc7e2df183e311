import { type McpTool, ToolportError } from '@toolport/contracts';
import type { Decider } from '@toolport/event-store';
import { checkPolicy, compatibilityReport, findBaseVersion } from '../tool-compatibility/compatibility';
import { evolveServer, findVersion, initialServerState, type ServerEvent, type ServerState, type VersionRecord, type VersionStatus } from './server';
import { highestVersion } from './version-order';

/** The official registry's cap on versions per server (BEHAVIOUR.md "Versions and immutability"). */
export const MAX_VERSIONS_PER_SERVER = 10_000;
export const MAX_STATUS_MESSAGE_LENGTH = 500;

export interface PublishVersion {
  type: 'PublishVersion';
  /** A server.json that passed validation, `_meta` already reduced to the keys Toolport keeps. */
  server: Record<string, unknown> & { name: string; version: string };
  schemaId: string;
  tools: McpTool[];
  semverPolicy: 'enforce' | 'warn' | 'off';
  /** The publish passed an enabled ownership check for every package (PackageVerifier.provesOwnership). */
  ownershipVerified?: boolean;
  now: Date;
}

export interface ChangeVersionStatus {
  type: 'ChangeVersionStatus';
  serverName: string;
  version: string;
  status: VersionStatus;
  statusMessage: string | null;
  now: Date;
}

export interface ChangeServerStatus {
  type: 'ChangeServerStatus';
  serverName: string;
  status: VersionStatus;
  statusMessage: string | null;
  now: Date;
}

export type ServerCommand = PublishVersion | ChangeVersionStatus | ChangeServerStatus;

/**
 * "latest" after any change (BEHAVIOUR.md "Latest"): the highest non-deleted version; if every
 * version is deleted, the highest deleted one keeps the flag (upstream fix #1201). Applied on
 * publish too, so a publish after all others were deleted becomes latest; upstream compares a
 * new publish only with the current latest, which differs from this only in that case.
 */
export function latestOf(versions: readonly VersionRecord[]): string | null {
  const live = versions.filter((v) => v.status !== 'deleted');
  return highestVersion(live.length > 0 ? live : versions)?.version ?? null;
}

function latestChange(state: ServerState, versions: readonly VersionRecord[], serverName: string): ServerEvent[] {
  const latest = latestOf(versions);
  return latest === state.latest ? [] : [{ type: 'LatestVersionChanged', data: { serverName, previous: state.latest, latest } }];
}

function decidePublish(command: PublishVersion, state: ServerState): ServerEvent[] {
  const { server, now } = command;
  if (findVersion(state, server.version)) {
    throw new ToolportError('invalid', 'DUPLICATE_VERSION', 'invalid version: cannot publish duplicate version', [
      { message: `${server.name} ${server.version} is already published; versions are immutable: publish a new version`, location: 'body.version' },
    ]);
  }
  if (state.versions.length >= MAX_VERSIONS_PER_SERVER) {
    throw new ToolportError('invalid', 'TOO_MANY_VERSIONS', `${server.name} already has the maximum of ${MAX_VERSIONS_PER_SERVER} versions`);
  }
  const live = state.versions.filter((v) => v.status !== 'deleted');
  const baseVersion = findBaseVersion(live.map((v) => v.version), server.version);
  const compatibility = compatibilityReport({
    baseVersion,
    baseTools: baseVersion ? findVersion(state, baseVersion)!.tools : [],
    version: server.version,
    tools: command.tools,
    policy: command.semverPolicy,
  });
  checkPolicy(compatibility, server.version);

  const publishedAt = now.toISOString();
  const published: VersionRecord = {
    version: server.version,
    server,
    tools: command.tools,
    compatibility,
    status: 'active',
    statusMessage: null,
    publishedAt,
    statusChangedAt: publishedAt,
    updatedAt: publishedAt,
  };
  const latest = latestChange(state, [...state.versions, published], server.name);
  return [
    {
      type: 'VersionPublished',
      data: {
        serverName: server.name,
        version: server.version,
        server,
        schemaId: command.schemaId,
        tools: command.tools,
        compatibility,
        publishedAt,
        isLatest: latestOf([...state.versions, published]) === server.version,
        ...(command.ownershipVerified ? { ownershipVerified: true as const } : {}),
      },
    },
    ...latest,
  ];
}

function checkStatusMessage(status: VersionStatus, statusMessage: string | null): void {
  if (statusMessage === null) return;
  if (status === 'active') {
    throw new ToolportError('invalid', 'STATUS_MESSAGE_NOT_ALLOWED', 'statusMessage is not allowed when the status is active', [
      { message: 'remove statusMessage or choose deprecated/deleted', location: 'body.statusMessage' },
    ]);
  }
  if (statusMessage.length > MAX_STATUS_MESSAGE_LENGTH) {
    throw new ToolportError('invalid', 'STATUS_MESSAGE_TOO_LONG', `statusMessage may be at most ${MAX_STATUS_MESSAGE_LENGTH} characters`, [
      { message: `it has ${statusMessage.length}`, location: 'body.statusMessage' },
    ]);
  }
}

function statusEvents(state: ServerState, targets: readonly VersionRecord[], command: ChangeVersionStatus | ChangeServerStatus): ServerEvent[] {
  const changedAt = command.now.toISOString();
  const changes: ServerEvent[] = targets
    .filter((v) => v.status !== command.status || v.statusMessage !== command.statusMessage)
    .map((v) => ({
      type: 'VersionStatusChanged',
      data: { serverName: command.serverName, version: v.version, previousStatus: v.status, status: command.status, statusMessage: command.statusMessage, changedAt },
    }));
  if (changes.length === 0) {
    throw new ToolportError('invalid', 'STATUS_UNCHANGED', `nothing to change: the status is already ${command.status}${command.statusMessage ? ' with that message' : ''}`);
  }
  const after = changes.reduce(evolveServer, state);
  return [...changes, ...latestChange(state, after.versions, command.serverName)];
}

function requireServer(state: ServerState, serverName: string): void {
  if (state.versions.length === 0) throw new ToolportError('not_found', 'SERVER_NOT_FOUND', `Server not found: ${serverName}`);
}

export function decideServer(command: ServerCommand, state: ServerState): ServerEvent[] {
  switch (command.type) {
    case 'PublishVersion':
      return decidePublish(command, state);
    case 'ChangeVersionStatus': {
      requireServer(state, command.serverName);
      const target = findVersion(state, command.version);
      if (!target) throw new ToolportError('not_found', 'VERSION_NOT_FOUND', `Server version not found: ${command.serverName} ${command.version}`);
      checkStatusMessage(command.status, command.statusMessage);
      return statusEvents(state, [target], command);
    }
    case 'ChangeServerStatus':
      requireServer(state, command.serverName);
      checkStatusMessage(command.status, command.statusMessage);
      return statusEvents(state, state.versions, command);
  }
}

export const serverDecider: Decider<ServerState, ServerCommand, ServerEvent> = {
  initialState: initialServerState,
  evolve: evolveServer,
  decide: decideServer,
};
