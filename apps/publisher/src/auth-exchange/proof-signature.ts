import { verify } from 'node:crypto';
import { fingerprint, type ProofKey } from './proof-record';

/**
 * The signed-timestamp proof of the http and dns exchanges (official registry,
 * `internal/api/handlers/v0/auth/common.go`): the client signs the exact RFC 3339 `timestamp`
 * string it sends, the signature travels as hex, and the timestamp must be within ±15 s of the
 * registry's clock so a captured signature is useless moments later.
 */
export const TIMESTAMP_SKEW_MS = 15_000;
const ED25519_SIGNATURE_BYTES = 64;
/** ECDSA P-384 as R ‖ S, 48 bytes each (IEEE P1363), over SHA-384 of the timestamp. */
const P384_SIGNATURE_BYTES = 96;

/** RFC 3339 `date-time` (§5.6): what Go's `time.Parse(time.RFC3339, …)` accepts and `mcp-publisher` sends. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parseTimestamp(timestamp: string): Checked<Date> {
  const match = RFC3339.exec(timestamp);
  const time = match ? Date.parse(timestamp) : Number.NaN;
  // Date.parse rolls 2026-02-31 over to March: the fields must survive the round trip.
  if (!match || Number.isNaN(time) || !fieldsAreReal(match)) {
    return { ok: false, reason: `the timestamp ${JSON.stringify(timestamp)} is not an RFC 3339 date-time (e.g. 2026-01-02T15:04:05Z)` };
  }
  return { ok: true, value: new Date(time) };
}

function fieldsAreReal(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 60;
}

/** The timestamp, if it is within ±15 s of `now`. */
export function checkTimestamp(timestamp: string, now: Date): Checked<Date> {
  const parsed = parseTimestamp(timestamp);
  if (!parsed.ok) return parsed;
  const skew = parsed.value.getTime() - now.getTime();
  if (Math.abs(skew) > TIMESTAMP_SKEW_MS) {
    const seconds = Math.round(Math.abs(skew) / 1000);
    return {
      ok: false,
      reason:
        `the timestamp ${timestamp} is ${seconds} s ${skew < 0 ? 'behind' : 'ahead of'} the registry's clock (${now.toISOString()}); ` +
        `sign the current time (allowed difference ±${TIMESTAMP_SKEW_MS / 1000} s)`,
    };
  }
  return parsed;
}

export function decodeSignature(signedTimestamp: string): Checked<Buffer> {
  if (signedTimestamp.length === 0 || signedTimestamp.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(signedTimestamp)) {
    return { ok: false, reason: 'signed_timestamp must be the signature in hex (an even number of 0-9a-f characters)' };
  }
  return { ok: true, value: Buffer.from(signedTimestamp, 'hex') };
}

/** Why `signature` does not verify against `key`, or null when it does. */
export function signatureProblem(key: ProofKey, message: Buffer, signature: Buffer): { structural: boolean; reason: string } | null {
  if (key.algorithm === 'ed25519') {
    if (signature.length !== ED25519_SIGNATURE_BYTES) {
      return { structural: true, reason: `an Ed25519 signature has ${ED25519_SIGNATURE_BYTES} bytes, this one has ${signature.length}` };
    }
    return verify(null, message, key.publicKey, signature) ? null : { structural: false, reason: 'Ed25519 signature does not match' };
  }
  if (signature.length !== P384_SIGNATURE_BYTES) {
    return {
      structural: true,
      reason: `an ECDSA P-384 signature has ${P384_SIGNATURE_BYTES} bytes (R ‖ S), this one has ${signature.length}`,
    };
  }
  const valid = verify('sha384', message, { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  return valid ? null : { structural: false, reason: 'ECDSA P-384 signature does not match' };
}

/**
 * Null when the signature verifies with any one of the published keys. Otherwise a reason. When
 * no key could even be tried (the signature's size fits none of them), that is the useful
 * message; else every key tried is named by fingerprint, because the usual cause is a stale
 * record left after a key rotation (the official registry explains it the same way). Unlike the
 * official registry, a size mismatch with one key does not hide a clean mismatch with another:
 * with an Ed25519 and a P-384 record, a 64-byte signature was meant for the Ed25519 one.
 */
export function verifyWithAnyKey(keys: readonly ProofKey[], timestamp: string, signature: Buffer): string | null {
  const message = Buffer.from(timestamp, 'utf8');
  const tried: ProofKey[] = [];
  let structural: string | null = null;
  for (const key of keys) {
    const problem = signatureProblem(key, message, signature);
    if (problem === null) return null;
    if (problem.structural) structural = problem.reason;
    else tried.push(key);
  }
  if (tried.length === 0) return structural;
  const fingerprints = tried.map(fingerprint);
  return tried.length === 1
    ? `the signature does not match the published key ${fingerprints[0]}; if you are not signing with that key, the published record may be stale`
    : `the signature matches none of the ${tried.length} published keys (${fingerprints.join(', ')}); remove stale records after a key rotation`;
}
