import { ToolportError } from '@toolport/contracts';
import type { SearchFilters } from './search-index';
import type { RankKey } from './search-scratch';

/**
 * Opaque cursors. Both carry a fingerprint of the query (text + filters), so a cursor replayed
 * with another query is refused rather than silently paging something else.
 * - keyset (embedded): the last hit's sort key; the next page is "everything ranked after it",
 *   found in one pass with no offset to skip.
 * - offset (Meilisearch): the position of the next hit.
 */

const MAX_CURSOR_LENGTH = 1024;
const KEYSET = 'k';
const OFFSET = 'o';

export function queryFingerprint(scope: 'servers' | 'tools', q: string, filters: SearchFilters): string {
  const canonical = JSON.stringify([
    scope,
    q.trim().toLowerCase(),
    filters.registryType ?? null,
    filters.transport ?? null,
    filters.minTrust ?? null,
    filters.health ?? null,
    filters.approved ?? null,
    filters.namespace ?? null,
    filters.statuses ? [...filters.statuses].sort() : null,
    filters.latestOnly ?? false,
  ]);
  // FNV-1a, 32 bits: a cheap guard against mixing up queries, not a security measure.
  let hash = 0x811c9dc5;
  for (let i = 0; i < canonical.length; i++) {
    hash ^= canonical.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

export function encodeKeysetCursor(fingerprint: string, key: RankKey): string {
  return encode([KEYSET, fingerprint, key.rel, key.trust, key.health, key.id]);
}

export function decodeKeysetCursor(cursor: string, fingerprint: string): RankKey {
  const value = decode(cursor);
  const [kind, print, rel, trust, health, id] = value;
  if (
    value.length !== 6 ||
    kind !== KEYSET ||
    print !== fingerprint ||
    typeof rel !== 'number' ||
    !Number.isFinite(rel) ||
    !Number.isInteger(trust) ||
    !Number.isInteger(health) ||
    typeof id !== 'string'
  ) {
    throw invalidCursor();
  }
  return { rel, trust: trust as number, health: health as number, id };
}

export function encodeOffsetCursor(fingerprint: string, offset: number): string {
  return encode([OFFSET, fingerprint, offset]);
}

export function decodeOffsetCursor(cursor: string, fingerprint: string): number {
  const value = decode(cursor);
  const [kind, print, offset] = value;
  if (value.length !== 3 || kind !== OFFSET || print !== fingerprint || !Number.isSafeInteger(offset) || (offset as number) < 0) throw invalidCursor();
  return offset as number;
}

function encode(value: unknown[]): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decode(cursor: string): unknown[] {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(value)) throw invalidCursor();
  return value;
}

function invalidCursor(): ToolportError {
  return new ToolportError('invalid', 'INVALID_CURSOR', 'cursor is not one this search returned', [{ message: 'malformed or from another query', location: 'query.cursor' }]);
}
