import { createHash } from 'node:crypto';

/**
 * A 64-bit key for `pg_advisory_xact_lock(bigint)`, derived from what the lock protects.
 * Derived in JS (not with Postgres' `hashtext`, which is internal and has changed between
 * major versions) so the key is the same on every server. Returned as a decimal string for
 * a `$1::bigint` parameter: JS numbers cannot hold 64 bits.
 */
export function advisoryLockKey(purpose: 'events-append' | 'migrations', schema: string): string {
  return createHash('sha256').update(`toolport:${purpose}:${schema}`).digest().readBigInt64BE(0).toString();
}
