import { createHash } from 'node:crypto';
import { canonicalJson } from '@toolport/contracts';
import type { LeafFields } from './log-format';
import { leafHash } from './merkle-hash';

export { canonicalJson };

/** The fields a leaf commits to, in the order they are listed in log-format.ts (the JSON is sorted anyway). */
export const LEAF_FIELD_NAMES = [
  'seq',
  'eventId',
  'type',
  'streamId',
  'actor',
  'occurredAt',
  'subject',
  'summary',
  'payloadDigest',
] as const satisfies readonly (keyof LeafFields)[];

// Compile-time guard: a field added to LeafFields must be added above, or it would silently be
// left out of the leaf (and so not be tamper-evident).
type UnlistedLeafField = Exclude<keyof LeafFields, (typeof LEAF_FIELD_NAMES)[number]>;
const everyLeafFieldListed: [UnlistedLeafField] extends [never] ? true : never = true;
void everyLeafFieldListed;

/**
 * The bytes of a record's leaf: UTF-8 canonical JSON of exactly the LeafFields. Only those fields
 * are read, so passing a whole AuditRecord is safe (its payload stays out; payloadDigest is in).
 * A missing (undefined) field throws rather than vanish from the JSON.
 */
export function leafData(fields: LeafFields): Buffer {
  const picked: Record<string, unknown> = {};
  for (const name of LEAF_FIELD_NAMES) {
    const value = fields[name];
    if (value === undefined) throw new TypeError(`leafData: the record has no ${name}`);
    picked[name] = value;
  }
  return Buffer.from(canonicalJson(picked), 'utf8');
}

/** The record's leaf hash in the tree: SHA-256(0x00 || leafData(fields)). */
export function recordLeafHash(fields: LeafFields): Buffer {
  return leafHash(leafData(fields));
}

/** Lowercase hex SHA-256 of the UTF-8 canonical JSON of `payload`: AuditRecord.payloadDigest. */
export function payloadDigest(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload), 'utf8').digest('hex');
}
