import type { AuditRecord, ConsistencyProofResponse, InclusionProofResponse, SignedTreeHead } from '../transparency-log/log-format';
import { HEX_HASH_PATTERN } from '../transparency-log/merkle-hash';

/**
 * Shape checks for what the audit API answers: the verifier trusts no field's type, so that a
 * malformed answer is reported as such rather than crash a hash function. Each returns the first
 * problem found, or null. Cryptographic checks come after, in verify-log.ts.
 */
type Fields = Record<string, unknown>;
const isObject = (value: unknown): value is Fields => value !== null && typeof value === 'object' && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isHex = (value: unknown): value is string => typeof value === 'string' && HEX_HASH_PATTERN.test(value);
const isHexList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isHex);
const isText = (value: unknown): value is string => typeof value === 'string';

export function signedTreeHeadProblem(value: unknown): string | null {
  if (!isObject(value)) return 'not a JSON object';
  if (!isCount(value['treeSize'])) return 'treeSize is not a non-negative integer';
  if (!isHex(value['rootHash'])) return 'rootHash is not 64 lowercase hex characters';
  for (const name of ['timestamp', 'signature', 'keyId']) if (!isText(value[name])) return `${name} is not a string`;
  return null;
}

export function auditRecordProblem(value: unknown): string | null {
  if (!isObject(value)) return 'not a JSON object';
  if (!isCount(value['seq']) || value['seq'] < 1) return 'seq is not a positive integer';
  for (const name of ['eventId', 'type', 'streamId', 'occurredAt', 'summary']) if (!isText(value[name])) return `${name} is not a string`;
  if (!isHex(value['payloadDigest'])) return 'payloadDigest is not 64 lowercase hex characters';
  const actor = value['actor'];
  if (!isObject(actor) || !isText(actor['kind']) || !isText(actor['id'])) return 'actor is not {kind, id}';
  const subject = value['subject'];
  if (subject !== null && (!isObject(subject) || !isText(subject['serverName']) || !(subject['version'] === null || isText(subject['version'])))) {
    return 'subject is neither null nor {serverName, version}';
  }
  if (!('payload' in value)) return 'payload is missing';
  return null;
}

export function inclusionProofResponseProblem(value: unknown): string | null {
  if (!isObject(value)) return 'not a JSON object';
  for (const name of ['seq', 'leafIndex', 'treeSize']) if (!isCount(value[name])) return `${name} is not a non-negative integer`;
  if (!isHex(value['leafHash'])) return 'leafHash is not 64 lowercase hex characters';
  if (!isHex(value['rootHash'])) return 'rootHash is not 64 lowercase hex characters';
  if (!isHexList(value['proof'])) return 'proof is not a list of 64-hex-character hashes';
  return null;
}

export function consistencyProofResponseProblem(value: unknown): string | null {
  if (!isObject(value)) return 'not a JSON object';
  for (const name of ['first', 'second']) if (!isCount(value[name])) return `${name} is not a non-negative integer`;
  if (!isHexList(value['proof'])) return 'proof is not a list of 64-hex-character hashes';
  return null;
}

/** The four answers, each with the name the error messages use. */
export const SHAPES = {
  signedTreeHead: { name: 'signed tree head', problem: signedTreeHeadProblem } as Shape<SignedTreeHead>,
  auditRecord: { name: 'audit record', problem: auditRecordProblem } as Shape<AuditRecord>,
  inclusionProof: { name: 'inclusion proof', problem: inclusionProofResponseProblem } as Shape<InclusionProofResponse>,
  consistencyProof: { name: 'consistency proof', problem: consistencyProofResponseProblem } as Shape<ConsistencyProofResponse>,
};

/** `T` is a phantom: the type a value has once `problem` returned null for it. */
export interface Shape<T> {
  name: string;
  problem: (value: unknown) => string | null;
  readonly _type?: T;
}
