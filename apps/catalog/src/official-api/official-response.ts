import type { CatalogEntry } from '../read-model/catalog-entry.query';
import { versionUptime } from '../read-model/health-uptime';
import { driftActive } from '../read-model/health.read-model';
import { noFindings } from '../read-model/security.read-model';
import type { Visibility } from '../visibility/visibility';
import type { CachedAnswer } from './version-response-cache';

export const OFFICIAL_META_KEY = 'io.modelcontextprotocol.registry/official';
export const SECURITY_META_KEY = 'io.toolport/security';
export const HEALTH_META_KEY = 'io.toolport/health';

/** The registry-managed metadata of the official ServerResponse (BEHAVIOUR.md section 2). */
export function officialMeta(entry: CatalogEntry) {
  return {
    status: entry.status,
    ...(entry.statusMessage !== null ? { statusMessage: entry.statusMessage } : {}),
    statusChangedAt: entry.statusChangedAt,
    publishedAt: entry.publishedAt,
    updatedAt: entry.updatedAt,
    isLatest: entry.isLatest,
  };
}

/**
 * `_meta["io.toolport/security"]`: the scanner's verdict and the review decision. Who decided
 * is shown to reviewers and admins only: for everyone else it is someone's identity they have
 * no use for (the audit service answers "who approved X" to those allowed to ask).
 */
export function securityMeta(entry: CatalogEntry, visibility: Pick<Visibility, 'privileged'>) {
  const security = entry.security;
  return {
    trustLevel: security?.trustLevel ?? null,
    score: security?.score ?? null,
    approval: {
      status: security?.approval ?? 'pending',
      decidedAt: security?.approvalAt ?? null,
      ...(security?.approvalAutomatic != null ? { automatic: security.approvalAutomatic } : {}),
      ...(visibility.privileged && security?.approvalBy ? { decidedBy: security.approvalBy } : {}),
    },
    scan: {
      status: security?.scanStatus ?? 'pending',
      finishedAt: security?.scanFinishedAt ?? null,
      rulesVersion: security?.rulesVersion ?? null,
    },
    findings: security?.findings ?? noFindings(),
  };
}

/**
 * `_meta["io.toolport/health"]`: the worst status over the version's remotes, their lowest uptime
 * at `now` (`{ ratio, since }`, null when never probed: see read-model/health-uptime.ts), and
 * tool drift.
 */
export function healthMeta(entry: CatalogEntry, now: Date) {
  const drift = driftActive(entry.health?.driftDetectedAt ? { detectedAt: entry.health.driftDetectedAt } : null, entry.security);
  return {
    status: entry.health?.status ?? null,
    checkedAt: entry.health?.checkedAt ?? null,
    uptime: entry.health ? versionUptime(entry.health.remotes, now) : null,
    drift,
    ...(drift ? { driftDetectedAt: entry.health!.driftDetectedAt } : {}),
  };
}

export function serverResponseMeta(entry: CatalogEntry, visibility: Pick<Visibility, 'privileged'>, now: Date = new Date()) {
  return {
    [OFFICIAL_META_KEY]: officialMeta(entry),
    [SECURITY_META_KEY]: securityMeta(entry, visibility),
    [HEALTH_META_KEY]: healthMeta(entry, now),
  };
}

/**
 * The official ServerResponse as JSON text. The server.json is spliced in as the text the read
 * model holds (it was serialised once, when projected): the hot path never parses and
 * re-serialises the largest part of the answer.
 */
export function serverResponseJson(entry: CatalogEntry, visibility: Pick<Visibility, 'privileged'>, now: Date = new Date()): string {
  return `{"server":${entry.serverJson},"_meta":${JSON.stringify(serverResponseMeta(entry, visibility, now))}}`;
}

/**
 * How long an answer showing uptime may be served from memory: its ratio moves with the clock
 * while no event says so, and the cache is otherwise dropped only on a change.
 */
export const UPTIME_ANSWER_MAX_AGE_MS = 60_000;

/** A found version as the VersionResponseCache keeps it: stale after a while when it shows uptime. */
export function versionAnswer(entry: CatalogEntry, visibility: Pick<Visibility, 'privileged'>, now: Date = new Date()): CachedAnswer {
  const body = serverResponseJson(entry, visibility, now);
  return entry.health !== null && entry.health.remotes.length > 0 ? { found: true, body, staleAfter: now.getTime() + UPTIME_ANSWER_MAX_AGE_MS } : { found: true, body };
}

/** The official ServerList as JSON text; `nextCursor` only when there may be more. */
export function serverListJson(entries: readonly CatalogEntry[], visibility: Pick<Visibility, 'privileged'>, nextCursor: string | null = null, now: Date = new Date()): string {
  const metadata = nextCursor === null ? { count: entries.length } : { nextCursor, count: entries.length };
  return `{"servers":[${entries.map((e) => serverResponseJson(e, visibility, now)).join(',')}],"metadata":${JSON.stringify(metadata)}}`;
}
