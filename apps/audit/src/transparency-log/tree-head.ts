import { sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { SignedTreeHead } from './log-format';
import { HEX_HASH_PATTERN, isTreeIndex } from './merkle-hash';
import { keyIdOf } from './signing-key';

/** The fields a tree head signature covers. */
export interface TreeHead {
  treeSize: number;
  /** Lowercase hex of the 32-byte root. */
  rootHash: string;
  /** ISO-8601 UTC with milliseconds, as Date.prototype.toISOString writes it. */
  timestamp: string;
}

/** What signTreeHead accepts: a Buffer root and a Date are written the canonical way for you. */
export interface TreeHeadInput {
  treeSize: number;
  rootHash: string | Uint8Array;
  timestamp: string | Date;
}

/**
 * Domain separation tag, first bytes of every signed message: a signature made for a tree head
 * cannot be replayed as any other Toolport signature (JWTs start with '{' base64url-encoded, so
 * never with this text), and a future layout gets a new version.
 */
export const TREE_HEAD_SIGNATURE_DOMAIN = 'toolport-audit-sth-v1\n';

const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ED25519_SIGNATURE_BYTES = 64;
const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The exact bytes an Ed25519 signature of a tree head covers, UTF-8:
 *
 *   toolport-audit-sth-v1\n{"rootHash":"<64 lowercase hex>","timestamp":"<YYYY-MM-DDTHH:mm:ss.sssZ>","treeSize":<integer>}
 *
 * i.e. the domain tag (with its newline) followed by the canonical JSON of the three fields
 * (sorted keys, no whitespace, no trailing newline). keyId is not signed: it only names the key
 * the signature is checked with. Throws a TypeError for a head that is not well-formed.
 */
export function treeHeadSigningInput(head: TreeHead): Buffer {
  const problem = treeHeadFieldProblem(head);
  if (problem) throw new TypeError(`tree head: ${problem}`);
  const { treeSize, rootHash, timestamp } = head;
  return Buffer.from(TREE_HEAD_SIGNATURE_DOMAIN + canonicalJson({ treeSize, rootHash, timestamp }), 'utf8');
}

/** Signs a tree head with an Ed25519 private key (RFC 8032 pure Ed25519, deterministic). */
export function signTreeHead(input: TreeHeadInput, privateKey: KeyObject): SignedTreeHead {
  const head: TreeHead = {
    treeSize: input.treeSize,
    rootHash: typeof input.rootHash === 'string' ? input.rootHash : Buffer.from(input.rootHash).toString('hex'),
    timestamp: typeof input.timestamp === 'string' ? input.timestamp : input.timestamp.toISOString(),
  };
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('tree heads are signed with an Ed25519 private key');
  }
  const signature = sign(null, treeHeadSigningInput(head), privateKey).toString('base64');
  return { ...head, signature, keyId: keyIdOf(privateKey) };
}

/**
 * Why a signed head does not verify with `publicKey`, or null when it does: malformed fields, a
 * keyId naming another key, or a signature that does not match. Never throws.
 */
export function treeHeadProblem(head: SignedTreeHead, publicKey: KeyObject): string | null {
  if (head === null || typeof head !== 'object') return 'not a signed tree head object';
  const fieldProblem = treeHeadFieldProblem(head);
  if (fieldProblem) return fieldProblem;
  if (typeof head.signature !== 'string' || !BASE64_PATTERN.test(head.signature)) return 'signature is not base64';
  const signature = Buffer.from(head.signature, 'base64');
  if (signature.length !== ED25519_SIGNATURE_BYTES) return `signature is ${signature.length} bytes, not ${ED25519_SIGNATURE_BYTES}`;
  let expectedKeyId: string;
  try {
    expectedKeyId = keyIdOf(publicKey);
  } catch (error) {
    return `the verification key is unusable: ${(error as Error).message}`;
  }
  if (head.keyId !== expectedKeyId) return `signed by key ${String(head.keyId)}, not by the given key ${expectedKeyId}`;
  const { treeSize, rootHash, timestamp } = head;
  const valid = verify(null, treeHeadSigningInput({ treeSize, rootHash, timestamp }), publicKey, signature);
  return valid ? null : 'the signature does not match the head (forged or altered)';
}

export function verifyTreeHead(head: SignedTreeHead, publicKey: KeyObject): boolean {
  return treeHeadProblem(head, publicKey) === null;
}

function treeHeadFieldProblem(head: TreeHead): string | null {
  if (!isTreeIndex(head.treeSize)) return `treeSize ${String(head.treeSize)} is not a non-negative integer`;
  if (typeof head.rootHash !== 'string' || !HEX_HASH_PATTERN.test(head.rootHash)) return 'rootHash is not 64 lowercase hex characters';
  if (typeof head.timestamp !== 'string' || !TIMESTAMP_PATTERN.test(head.timestamp) || !isRealInstant(head.timestamp)) {
    return `timestamp ${JSON.stringify(head.timestamp)} is not ISO-8601 UTC with milliseconds`;
  }
  return null;
}

/** Rejects well-shaped but impossible instants such as 2025-02-30 by a round trip through Date. */
function isRealInstant(timestamp: string): boolean {
  const time = Date.parse(timestamp);
  return !Number.isNaN(time) && new Date(time).toISOString() === timestamp;
}
