import {
  type Actor,
  type AuthFailureReason,
  AUTH_FAILURE_REASONS,
  type DataOf,
  MAX_LISTED_CLAIMS,
  type AuthenticationFailureBurstDetected,
  type ServiceName,
  ToolportError,
} from '@toolport/contracts';
import { decodeJwt } from 'jose';
import { AuthenticationError } from '../auth-errors';
import { actorFor } from '../principal';

/**
 * One refused authentication, as counted: when, why, and what the presented token claimed.
 * Never the token: only its `sub`, `jti` and `auth_method`, read without verifying (they are
 * what the caller claims, which is what an auditor wants to see, e.g. "12 expired tokens of
 * alice"). A non-JWT (a mistyped admin key, garbage) yields no claims at all.
 */
export interface AuthFailure {
  /** Epoch milliseconds. */
  at: number;
  reason: AuthFailureReason;
  subject: string | null;
  tokenId: string | null;
  authMethod: string | null;
}

export interface BurstDetection {
  /** Failures within the window that make a burst (> 0). */
  threshold: number;
  windowMs: number;
}

export type BurstData = DataOf<typeof AuthenticationFailureBurstDetected>;

/** How many failures one source keeps in its window at most: enough for any sane threshold, bounded memory under a flood. */
export const maxTracked = (detection: BurstDetection): number => Math.max(detection.threshold, 1000);

const claim = (value: unknown, maxLength: number): string | null =>
  typeof value === 'string' && value.length > 0 && value.length <= maxLength ? value : null;

/** The claims a bearer token presents, unverified; all null when it is not a decodable JWT. */
export function claimsOf(token: string | null): Pick<AuthFailure, 'subject' | 'tokenId' | 'authMethod'> {
  if (token === null) return { subject: null, tokenId: null, authMethod: null };
  try {
    const payload = decodeJwt(token);
    return { subject: claim(payload.sub, 256), tokenId: claim(payload.jti, 128), authMethod: claim(payload['auth_method'], 64) };
  } catch {
    return { subject: null, tokenId: null, authMethod: null };
  }
}

/** The failure an error stands for, or null when it is not a refused authentication (a 403, a 500...). */
export function failureOf(error: unknown, token: string | null, at: number): AuthFailure | null {
  if (!(error instanceof ToolportError) || error.kind !== 'unauthenticated') return null;
  // Every 401 of libs/auth is an AuthenticationError; any other is counted without a finer reason.
  const reason: AuthFailureReason = error instanceof AuthenticationError ? error.reason : 'invalid_claims';
  return { at, reason, ...claimsOf(token) };
}

/**
 * The sliding window of one source after one more failure (the pure twin of the Redis script in
 * failure-window.ts): failures older than the window are dropped, at most `maxTracked` kept. A
 * burst is reported when the window holds `threshold` failures and no burst of this source was
 * reported within the last window (`reportedAt`), so a source failing on and on makes one event
 * per window, not one per request.
 */
export function slide(
  entries: readonly AuthFailure[],
  failure: AuthFailure,
  detection: BurstDetection,
  reportedAt: number | null,
): { entries: AuthFailure[]; burst: boolean } {
  const since = failure.at - detection.windowMs;
  const kept = [...entries, failure].filter((e) => e.at > since).sort((a, b) => a.at - b.at);
  const window = kept.slice(Math.max(0, kept.length - maxTracked(detection)));
  const quiet = reportedAt === null || reportedAt <= since;
  return { entries: window, burst: quiet && window.length >= detection.threshold };
}

/** Distinct values, most frequent first (ties: first seen first), at most `limit`. */
function ranked(values: readonly (string | null)[], limit: number): string[] {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([value]) => value);
}

/** The event's data for the failures of one window (oldest first), detected at `now`. */
export function burstData(service: ServiceName, sourceIp: string, failures: readonly AuthFailure[], detection: BurstDetection, now: number): BurstData {
  if (failures.length === 0) throw new Error('a burst has at least one failure');
  const reasons = AUTH_FAILURE_REASONS.map((reason) => ({ reason, count: failures.filter((f) => f.reason === reason).length })).filter((r) => r.count > 0);
  const at = failures.map((f) => f.at);
  return {
    service,
    sourceIp,
    count: failures.length,
    threshold: detection.threshold,
    windowSeconds: Math.max(1, Math.round(detection.windowMs / 1000)),
    windowStart: new Date(now - detection.windowMs).toISOString(),
    windowEnd: new Date(now).toISOString(),
    firstSeenAt: new Date(Math.min(...at)).toISOString(),
    lastSeenAt: new Date(Math.max(...at)).toISOString(),
    reasons,
    claimedSubjects: ranked(failures.map((f) => f.subject), MAX_LISTED_CLAIMS),
    claimedTokenIds: ranked(failures.map((f) => f.tokenId), MAX_LISTED_CLAIMS),
  };
}

/**
 * Who the event names as its actor: the subject the tokens claimed when they all claimed the
 * same one (so `?actor=alice` finds failed attempts in alice's name; the summary says it is a
 * claim), else `anonymous` identified by the source IP.
 */
export function burstActor(sourceIp: string, failures: readonly AuthFailure[]): Actor {
  const subjects = new Set(failures.map((f) => f.subject).filter((s): s is string => s !== null));
  if (subjects.size === 1) {
    const subject = [...subjects][0]!;
    const method = failures.find((f) => f.subject === subject && f.authMethod !== null)?.authMethod;
    return method ? actorFor(method, subject) : { kind: 'user', id: subject };
  }
  return { kind: 'anonymous', id: sourceIp };
}

/** One event stream per source: `auth-failures-<ip>`. */
export const burstStreamId = (sourceIp: string): string => `auth-failures-${sourceIp}`;
