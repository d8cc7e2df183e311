import type { Actor } from '@toolport/contracts';

/**
 * What the audit log stores and proves, fixed here so the service, the proofs and the standalone
 * verifier agree byte for byte. The Merkle tree (RFC 6962 §2.1) is built over `leafData(record)`
 * of every record in `seq` order (leaf index = seq - 1).
 */
export interface AuditRecord {
  /** 1, 2, 3…: the position in the log; leaf index = seq - 1. */
  seq: number;
  eventId: string;
  type: string;
  streamId: string;
  actor: Actor;
  occurredAt: string;
  /** The server (and version) the event is about, where there is one. */
  subject: { serverName: string; version: string | null } | null;
  /** One human line: "anonymous published io.x/y 1.2.0". */
  summary: string;
  /** Hex SHA-256 of canonicalJson(payload). */
  payloadDigest: string;
  /** The event's data, as received. Not in the leaf: its digest is. */
  payload: unknown;
}

/** The fields a leaf commits to, in canonical JSON (RFC 8785-style: sorted keys, no whitespace). */
export type LeafFields = Omit<AuditRecord, 'payload'>;

/** A signed tree head (RFC 6962 §3.5 in spirit): who holds a copy can later demand consistency. */
export interface SignedTreeHead {
  treeSize: number;
  /** Hex of the 32-byte root hash (SHA-256 of the empty string for size 0). */
  rootHash: string;
  /** ISO-8601 UTC with milliseconds. */
  timestamp: string;
  /** Base64 Ed25519 signature over `treeHeadSigningInput(head)`. */
  signature: string;
  /** Base64url SHA-256 of the raw 32-byte public key (RFC 7638-like thumbprint). */
  keyId: string;
}

/** HTTP shapes the standalone verifier relies on. */
export interface InclusionProofResponse {
  seq: number;
  leafIndex: number;
  treeSize: number;
  /** Hex leaf hash (SHA-256(0x00 || leafData)). */
  leafHash: string;
  /** Hex hashes, RFC 9162 §2.1.3.1 order. */
  proof: string[];
  /** The signed head for treeSize when one exists, else the current root unsigned. */
  rootHash: string;
}

export interface ConsistencyProofResponse {
  first: number;
  second: number;
  proof: string[];
}
