import { ToolportError } from '@toolport/contracts';
import { unstorableCharacterIn } from '@toolport/platform';
import type { VersionKey } from '../read-model/catalog-events';

/**
 * The list cursor: the (name, version) of the last item of the page, as base64url JSON. Opaque
 * to clients (the official API documents cursors as opaque) and stable: it names a position in
 * the (name, version) order, not an offset, so inserts and deletes never skip or repeat an item.
 */
export function encodeCursor(key: VersionKey): string {
  return Buffer.from(JSON.stringify([key.serverName, key.version]), 'utf8').toString('base64url');
}

const invalidCursor = (value: string) =>
  new ToolportError('invalid', 'INVALID_CURSOR', 'Invalid cursor parameter', [{ message: 'not a cursor this API returned', location: 'query.cursor', value }]);

export function decodeCursor(cursor: string): VersionKey {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || cursor.length > 2000) throw invalidCursor(cursor);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor(cursor);
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string' || parsed[0] === '' || parsed[1] === '') {
    throw invalidCursor(cursor);
  }
  // No name or version this API returned holds one; PostgreSQL would refuse it with a 500.
  if (unstorableCharacterIn(parsed[0]) !== null || unstorableCharacterIn(parsed[1]) !== null) throw invalidCursor(cursor);
  return { serverName: parsed[0], version: parsed[1] };
}
