import { createHash } from 'node:crypto';
import type { McpTool, RemoteTransport } from '@toolport/contracts';

/** One `remotes[]` entry of one version: what is probed. */
export interface TargetRow {
  targetId: string;
  serverName: string;
  version: string;
  remoteIndex: number;
  transport: 'streamable-http' | 'sse';
  /** As published (a template stays a template). */
  remoteUrl: string;
  remote: RemoteTransport;
  active: boolean;
}

/** Stable per (server, version, remote position): versions are immutable, so the position names the remote. */
export function targetIdOf(serverName: string, version: string, remoteIndex: number): string {
  return createHash('sha256').update(`${serverName}\u0000${version}\u0000${remoteIndex}`).digest('hex').slice(0, 32);
}

/** The remotes of a published server.json that are probed (streamable-http and sse; the publisher allows no other). */
export function targetsOf(serverName: string, version: string, server: Record<string, unknown>): TargetRow[] {
  const remotes = Array.isArray(server['remotes']) ? (server['remotes'] as unknown[]) : [];
  const targets: TargetRow[] = [];
  remotes.forEach((remote, remoteIndex) => {
    if (typeof remote !== 'object' || remote === null) return;
    const { type, url } = remote as { type?: unknown; url?: unknown };
    if ((type !== 'streamable-http' && type !== 'sse') || typeof url !== 'string') return;
    targets.push({ targetId: targetIdOf(serverName, version, remoteIndex), serverName, version, remoteIndex, transport: type, remoteUrl: url, remote: remote as RemoteTransport, active: true });
  });
  return targets;
}

/** What a version contributes to drift detection. */
export interface VersionTools {
  declared: McpTool[];
  declaredListHash: string;
  approved: { tools: { name: string; hash: string }[]; listHash: string; approvedAt: string } | null;
}
