import { ToolportError } from '@toolport/contracts';
import { type ConsistencyProofResponse, type InclusionProofResponse, MerkleTree } from '../transparency-log';
import type { AuditRecordStore } from './audit-record-store';

const LEAF_BATCH = 10_000;

/**
 * Inclusion and consistency proofs over the stored leaf hashes. The proofs come from a MerkleTree
 * that keeps every perfect subtree's hash (64 bytes per record in memory: 6.4 MB per 100,000),
 * filled lazily from the table and then only with the records added since, so a proof costs
 * O(log n) hashes instead of rehashing the whole log per request. Leaves are never recomputed
 * here: the tree is built from the leaf hash stored with each record at ingest, which `verify`
 * checks against the record's fields.
 */
export class AuditProofs {
  private readonly tree = new MerkleTree();
  private filling: Promise<void> = Promise.resolve();

  constructor(private readonly records: Pick<AuditRecordStore, 'leafHashesAfter'>) {}

  /** RFC 6962 PATH of record `seq` in the tree of the first `treeSize` records. */
  async inclusion(seq: number, treeSize: number): Promise<InclusionProofResponse> {
    await this.coverSize(treeSize, 'query.treeSize');
    if (seq > this.tree.size) throw new ToolportError('not_found', 'RECORD_NOT_FOUND', `there is no record ${seq}: the log holds ${this.tree.size}`);
    if (seq > treeSize) {
      throw new ToolportError('invalid', 'RECORD_NOT_IN_TREE', `record ${seq} is not in a tree of ${treeSize} records: ask for a treeSize of at least ${seq}`, [
        { message: `must be at least ${seq}`, location: 'query.treeSize', value: treeSize },
      ]);
    }
    const index = seq - 1;
    return {
      seq,
      leafIndex: index,
      treeSize,
      leafHash: this.tree.leafHash(index).toString('hex'),
      proof: this.tree.inclusionProof(index, treeSize).map((hash) => hash.toString('hex')),
      rootHash: this.tree.rootHash(treeSize).toString('hex'),
    };
  }

  /** RFC 6962 PROOF from the tree of `first` records to the tree of `second`. */
  async consistency(first: number, second: number): Promise<ConsistencyProofResponse> {
    if (first > second) {
      throw new ToolportError('invalid', 'INVALID_QUERY', `first (${first}) must not be larger than second (${second})`, [
        { message: 'must not be larger than second', location: 'query.first', value: first },
      ]);
    }
    await this.coverSize(second, 'query.second');
    return { first, second, proof: this.tree.consistencyProof(first, second).map((hash) => hash.toString('hex')) };
  }

  /** Root of the tree of the first `treeSize` records. */
  async rootHash(treeSize: number): Promise<string> {
    await this.coverSize(treeSize, 'query.treeSize');
    return this.tree.rootHash(treeSize).toString('hex');
  }

  /** Fills the tree up to the current log (one filler at a time); refuses a size the log has not reached. */
  private async coverSize(treeSize: number, location: string): Promise<void> {
    if (treeSize > this.tree.size) {
      const fill = this.filling.then(() => this.fill());
      this.filling = fill.catch(() => undefined);
      await fill;
    }
    if (treeSize > this.tree.size) {
      throw new ToolportError('invalid', 'TREE_SIZE_TOO_LARGE', `the log holds ${this.tree.size} records, fewer than the ${treeSize} asked for`, [
        { message: `must be at most ${this.tree.size}`, location, value: treeSize },
      ]);
    }
  }

  private async fill(): Promise<void> {
    for (;;) {
      const leaves = await this.records.leafHashesAfter(this.tree.size, LEAF_BATCH);
      for (const leaf of leaves) this.tree.append(leaf);
      if (leaves.length < LEAF_BATCH) return;
    }
  }
}
