import { createPublicKey, ECDH, type KeyObject } from 'node:crypto';

/**
 * Proof records: `v=MCPv1; k=<ed25519|ecdsap384>; p=<base64 public key>`, published in a
 * domain's apex TXT records (dns) or in `/.well-known/mcp-registry-auth` (http). Matched as the
 * official registry does (`ParseMCPKeysFromStrings` in `internal/api/handlers/v0/auth/common.go`):
 * anywhere in a record, `;` followed by optional spaces, standard base64 with padding. The
 * ECDSA key is the 49-byte compressed point that `mcp-publisher` prints (0x02/0x03 ‖ X).
 */
const RECORD = /v=MCPv1;\s*k=([^;]+);\s*p=([A-Za-z0-9+/=]+)/;
const ED25519_KEY_BYTES = 32;
const P384_COMPRESSED_KEY_BYTES = 49;
const P384_COORDINATE_BYTES = 48;

export type ProofAlgorithm = 'ed25519' | 'ecdsap384';

export interface ProofKey {
  algorithm: ProofAlgorithm;
  /** The key as published, for fingerprints in error messages. */
  raw: Buffer;
  publicKey: KeyObject;
}

/** One record that looks like a proof record: its key, or why the key cannot be used. */
export type ParsedProofRecord = { key: ProofKey } | { error: string };

/** The proof records among `records` (TXT strings or lines of the well-known file). */
export function parseProofRecords(records: readonly string[]): ParsedProofRecord[] {
  const parsed: ParsedProofRecord[] = [];
  for (const record of records) {
    const match = RECORD.exec(record);
    if (match) parsed.push(parseProofKey(match[1]!.trim(), match[2]!));
  }
  return parsed;
}

/** True when a record at least claims to be an MCPv1 proof record (used for the DNS hint). */
export const mentionsProofRecord = (record: string): boolean => record.includes('v=MCPv1');

export function parseProofKey(algorithm: string, base64: string): ParsedProofRecord {
  const raw = decodeBase64(base64);
  if (raw === null) return { error: `the public key p=${base64} is not valid base64 (standard alphabet, with padding)` };
  try {
    if (algorithm === 'ed25519') {
      if (raw.length !== ED25519_KEY_BYTES) {
        return { error: `an Ed25519 public key has ${ED25519_KEY_BYTES} bytes, the published one has ${raw.length}` };
      }
      const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
      return { key: { algorithm, raw, publicKey } };
    }
    if (algorithm === 'ecdsap384') {
      if (raw.length !== P384_COMPRESSED_KEY_BYTES || (raw[0] !== 0x02 && raw[0] !== 0x03)) {
        return {
          error:
            `an ECDSA P-384 public key must be the ${P384_COMPRESSED_KEY_BYTES}-byte compressed point (leading 0x02 or 0x03), ` +
            `the published one has ${raw.length} bytes`,
        };
      }
      // Throws when the bytes are not a point on the curve.
      const point = ECDH.convertKey(raw, 'secp384r1', undefined, undefined, 'uncompressed') as Buffer;
      const x = point.subarray(1, 1 + P384_COORDINATE_BYTES).toString('base64url');
      const y = point.subarray(1 + P384_COORDINATE_BYTES).toString('base64url');
      const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-384', x, y }, format: 'jwk' });
      return { key: { algorithm, raw, publicKey } };
    }
  } catch {
    return { error: `the published ${algorithm} public key is not a valid key` };
  }
  return { error: `unsupported key algorithm k=${algorithm} (supported: ed25519, ecdsap384)` };
}

/** `ed25519:AbCdEfGh`: the algorithm and the first 8 base64 characters, as the official registry prints. */
export function fingerprint(key: Pick<ProofKey, 'algorithm' | 'raw'>): string {
  return `${key.algorithm}:${key.raw.toString('base64').slice(0, 8)}`;
}

/** Strict standard base64: Node's decoder silently skips bad characters and missing padding. */
function decodeBase64(text: string): Buffer | null {
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}
