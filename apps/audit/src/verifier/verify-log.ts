import type { KeyObject } from 'node:crypto';
import { payloadDigest, recordLeafHash } from '../transparency-log/canonical-json';
import type { SignedTreeHead } from '../transparency-log/log-format';
import { verifyConsistency, verifyInclusion } from '../transparency-log/merkle';
import { hashFromHex } from '../transparency-log/merkle-hash';
import { keyIdOf } from '../transparency-log/signing-key';
import { treeHeadProblem } from '../transparency-log/tree-head';
import type { AuditApi } from './audit-api-client';

export interface VerifyLogOptions {
  publicKey: KeyObject;
  seq: number | null;
  first: number | null;
  /** null: the latest signed head. */
  second: number | null;
}

export type CheckStatus = 'ok' | 'fail' | 'skipped';

export interface CheckResult {
  /** Stable name: latest-head, record, payload-digest, inclusion, head-<size>, consistency. */
  check: string;
  status: CheckStatus;
  /** One line for a person. */
  detail: string;
}

export interface VerificationReport {
  /** True only when every check ran and passed. */
  ok: boolean;
  keyId: string;
  checks: CheckResult[];
}

/**
 * Runs the checks an auditor needs, trusting only the public key: nothing the service says about
 * itself (its leafHash or rootHash fields, its verify endpoint) is taken as evidence. Each check
 * that cannot run because one it depends on failed is reported as skipped, so the report always
 * names every failure and nothing passes by default.
 */
export async function verifyLog(options: VerifyLogOptions, api: AuditApi): Promise<VerificationReport> {
  const checks: CheckResult[] = [];
  const add = (check: string, status: CheckStatus, detail: string): void => void checks.push({ check, status, detail });

  const latest = await fetchVerifiedHead(() => api.latestHead(), null, 'latest-head', 'the latest signed head', options.publicKey, add);
  if (options.seq !== null) await checkRecord(options.seq, latest, api, add);
  if (options.first !== null) await checkConsistency(options.first, options.second, latest, options.publicKey, api, add);
  return { ok: checks.every((check) => check.status === 'ok'), keyId: keyIdOf(options.publicKey), checks };
}

type Add = (check: string, status: CheckStatus, detail: string) => void;

async function fetchVerifiedHead(
  fetchHead: () => Promise<SignedTreeHead>,
  expectedSize: number | null,
  check: string,
  what: string,
  publicKey: KeyObject,
  add: Add,
): Promise<SignedTreeHead | null> {
  let head: SignedTreeHead;
  try {
    head = await fetchHead();
  } catch (error) {
    add(check, 'fail', `${what}: could not be fetched: ${(error as Error).message}`);
    return null;
  }
  if (expectedSize !== null && head.treeSize !== expectedSize) {
    add(check, 'fail', `${what}: the log answered the head of tree size ${head.treeSize} instead`);
    return null;
  }
  const problem = treeHeadProblem(head, publicKey);
  if (problem) {
    add(check, 'fail', `${what} (tree size ${head.treeSize}) does not verify: ${problem}`);
    return null;
  }
  add(check, 'ok', `${what}: tree size ${head.treeSize}, root ${head.rootHash}, ${head.timestamp}, signature valid`);
  return head;
}

async function checkRecord(seq: number, latest: SignedTreeHead | null, api: AuditApi, add: Add): Promise<void> {
  let record;
  try {
    record = await api.record(seq);
  } catch (error) {
    add('record', 'fail', `record ${seq}: could not be fetched: ${(error as Error).message}`);
    return;
  }
  if (record.seq !== seq) {
    add('record', 'fail', `record ${seq}: the log answered record ${record.seq} instead`);
    return;
  }
  add('record', 'ok', `record ${seq}: ${record.type} by ${record.actor.kind} ${record.actor.id} at ${record.occurredAt}: ${record.summary}`);

  let digest: string | null;
  try {
    digest = payloadDigest(record.payload);
  } catch {
    digest = null;
  }
  if (digest === record.payloadDigest) {
    add('payload-digest', 'ok', `record ${seq}: its payload matches its payloadDigest`);
  } else {
    add('payload-digest', 'fail', `record ${seq}: its payload does not match its payloadDigest ${record.payloadDigest} (the payload was altered)`);
  }

  if (latest === null) {
    add('inclusion', 'skipped', `record ${seq}: inclusion not checked, there is no verified signed head to check it against`);
    return;
  }
  if (seq > latest.treeSize) {
    add('inclusion', 'fail', `record ${seq}: not covered by the latest signed head, which has ${latest.treeSize} records`);
    return;
  }
  let response;
  try {
    response = await api.inclusionProof(seq, latest.treeSize);
  } catch (error) {
    add('inclusion', 'fail', `record ${seq}: no inclusion proof: ${(error as Error).message}`);
    return;
  }
  if (response.leafIndex !== seq - 1 || response.treeSize !== latest.treeSize) {
    add('inclusion', 'fail', `record ${seq}: the log answered a proof for leaf ${response.leafIndex} of tree size ${response.treeSize}, not leaf ${seq - 1} of ${latest.treeSize}`);
    return;
  }
  // The leaf is recomputed from the record as served; the response's leafHash only helps to say
  // which side is wrong when the proof fails.
  const leaf = recordLeafHash(record);
  const included = verifyInclusion({
    index: seq - 1,
    treeSize: latest.treeSize,
    leafHash: leaf,
    proof: response.proof.map(hashFromHex),
    rootHash: hashFromHex(latest.rootHash),
  });
  if (included) {
    add('inclusion', 'ok', `record ${seq}: included in the signed tree of size ${latest.treeSize} (leaf ${leaf.toString('hex')}, ${response.proof.length}-hash proof)`);
  } else if (response.leafHash !== leaf.toString('hex')) {
    add('inclusion', 'fail', `record ${seq}: the record as served hashes to leaf ${leaf.toString('hex')}, but the log proves leaf ${response.leafHash}: the record was altered after it was logged`);
  } else {
    add('inclusion', 'fail', `record ${seq}: the inclusion proof does not lead to the signed root of tree size ${latest.treeSize}`);
  }
}

async function checkConsistency(
  first: number,
  second: number | null,
  latest: SignedTreeHead | null,
  publicKey: KeyObject,
  api: AuditApi,
  add: Add,
): Promise<void> {
  const newer = second ?? latest?.treeSize ?? null;
  if (newer === null) {
    add('consistency', 'skipped', `consistency from tree size ${first} not checked: no --second and no verified latest head`);
    return;
  }
  if (first > newer) {
    add('consistency', 'fail', `tree size ${first} is larger than the latest signed head's ${newer}`);
    return;
  }
  const older = await fetchVerifiedHead(() => api.headAt(first), first, `head-${first}`, `the signed head of tree size ${first}`, publicKey, add);
  const newerHead =
    newer === first ? older : await fetchVerifiedHead(() => api.headAt(newer), newer, `head-${newer}`, `the signed head of tree size ${newer}`, publicKey, add);
  if (older === null || newerHead === null) {
    add('consistency', 'skipped', `consistency ${first} → ${newer} not checked: a signed head did not verify`);
    return;
  }
  let response;
  try {
    response = await api.consistencyProof(first, newer);
  } catch (error) {
    add('consistency', 'fail', `consistency ${first} → ${newer}: no proof: ${(error as Error).message}`);
    return;
  }
  if (response.first !== first || response.second !== newer) {
    add('consistency', 'fail', `consistency ${first} → ${newer}: the log answered a proof for ${response.first} → ${response.second}`);
    return;
  }
  const consistent = verifyConsistency({
    first,
    second: newer,
    firstRoot: hashFromHex(older.rootHash),
    secondRoot: hashFromHex(newerHead.rootHash),
    proof: response.proof.map(hashFromHex),
  });
  if (consistent) {
    add('consistency', 'ok', `consistency ${first} → ${newer}: the signed tree of size ${first} is a prefix of the one of size ${newer} (${response.proof.length}-hash proof)`);
  } else {
    add('consistency', 'fail', `consistency ${first} → ${newer}: the proof does not link the two signed roots: the log's history was rewritten, or the proof is wrong`);
  }
}
