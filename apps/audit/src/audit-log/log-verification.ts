import { MerkleAccumulator, payloadDigest, recordLeafHash, type SignedTreeHead, treeHeadProblem } from '../transparency-log';
import type { AuditRecordStore } from './audit-record-store';
import type { KnownPublicKey } from './audit-signing-keys';
import type { TreeHeadStore } from './tree-head-store';

export interface VerificationResult {
  ok: boolean;
  /** Records checked: the log's size when verification started. */
  treeSize: number;
  /** Signed heads whose signature and root were checked. */
  headsChecked: number;
  /** The first record that does not match (for a head: the last record it covers), with why. */
  firstMismatch?: { seq: number; reason: string };
}

export interface VerificationSources {
  records: Pick<AuditRecordStore, 'size' | 'range'>;
  heads: Pick<TreeHeadStore, 'after'>;
  publicKeys: ReadonlyMap<string, KnownPublicKey>;
  /** Records read per query (default 1000): memory stays at one batch whatever the log's size. */
  batchSize?: number;
}

const HEAD_BATCH = 1000;

/**
 * Recomputes the log from what is stored and checks it against itself and every signed head:
 * for each record in seq order, that seq has no gap, that the payload matches payloadDigest, and
 * that the fields give the stored leaf hash; the recomputed leaves are folded into a Merkle root,
 * which must equal the root of each signed head of that size, whose signature must verify with the
 * key it names. Stops at the first mismatch. A record edited together with its leaf hash passes
 * the record checks and is caught by the next head's root (named by that head's size); a
 * removed tail is caught by a head larger than the log.
 */
export async function verifyLog(sources: VerificationSources): Promise<VerificationResult> {
  const batchSize = sources.batchSize ?? 1000;
  const treeSize = await sources.records.size();
  const accumulator = new MerkleAccumulator();
  const pendingHeads: SignedTreeHead[] = [];
  let headsFetchedUpTo = 0;
  let headsDone = false;
  let headsChecked = 0;
  const fail = (seq: number, reason: string): VerificationResult => ({ ok: false, treeSize, headsChecked, firstMismatch: { seq, reason } });

  /** The next stored head not yet checked, read in batches. */
  const nextHead = async (): Promise<SignedTreeHead | undefined> => {
    if (pendingHeads.length === 0 && !headsDone) {
      const batch = await sources.heads.after(headsFetchedUpTo, HEAD_BATCH);
      pendingHeads.push(...batch);
      if (batch.length < HEAD_BATCH) headsDone = true;
      if (batch.length > 0) headsFetchedUpTo = batch[batch.length - 1]!.treeSize;
    }
    return pendingHeads[0];
  };

  const checkHead = (head: SignedTreeHead): string | null => {
    const key = sources.publicKeys.get(head.keyId);
    if (!key) return `signed tree head of size ${head.treeSize} names key ${head.keyId}, which this log never used`;
    const problem = treeHeadProblem(head, key.publicKey);
    if (problem) return `signed tree head of size ${head.treeSize} does not verify: ${problem}`;
    const root = accumulator.rootHash().toString('hex');
    if (root !== head.rootHash) return `signed tree head of size ${head.treeSize} has root ${head.rootHash}, but the stored records give ${root}`;
    return null;
  };

  let after = 0;
  while (after < treeSize) {
    const batch = await sources.records.range(after, treeSize, batchSize);
    if (batch.length === 0) return fail(after + 1, `record ${after + 1} is missing (the log holds ${treeSize} records)`);
    for (const { record, leafHash } of batch) {
      const expected = accumulator.size + 1;
      if (record.seq !== expected) return fail(expected, `record ${expected} is missing (the next stored record is ${record.seq})`);
      if (payloadDigest(record.payload) !== record.payloadDigest) return fail(record.seq, 'the payload does not match its payloadDigest');
      const recomputed = recordLeafHash(record);
      if (!recomputed.equals(leafHash)) return fail(record.seq, "the record's fields do not give its stored leaf hash (the record or the hash was changed)");
      accumulator.append(recomputed);
      for (let head = await nextHead(); head && head.treeSize === accumulator.size; head = await nextHead()) {
        const problem = checkHead(head);
        if (problem) return fail(head.treeSize, problem);
        headsChecked += 1;
        pendingHeads.shift();
      }
    }
    after = batch[batch.length - 1]!.record.seq;
  }
  const beyond = await nextHead();
  if (beyond) {
    // Heads signed after verification started may be a little larger than treeSize: only those
    // the log cannot have reached are a mismatch, and those are checked on the next run.
    const current = await sources.records.size();
    if (beyond.treeSize > current) return fail(beyond.treeSize, `a signed tree head covers ${beyond.treeSize} records, but the log holds only ${current} (records were removed)`);
  }
  return { ok: true, treeSize, headsChecked };
}
