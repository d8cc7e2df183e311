import { ToolportError } from '@toolport/contracts';
import { leafHash, rootHash, verifyConsistency, verifyInclusion } from '../transparency-log';
import { AuditProofs } from './audit-proofs';

const leaves = Array.from({ length: 37 }, (_, i) => leafHash(Buffer.from(`record ${i + 1}`)));

/** A log that grows between calls, read the way AuditRecordStore.leafHashesAfter reads it. */
function growingLog(initial: number) {
  let size = initial;
  let reads = 0;
  return {
    source: {
      leafHashesAfter: async (after: number, limit: number) => {
        reads += 1;
        return leaves.slice(after, Math.min(size, after + limit));
      },
    },
    grow: (to: number) => (size = to),
    reads: () => reads,
  };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => Buffer.from(h, 'hex');

describe('AuditProofs', () => {
  it('answers inclusion proofs that verify against the root of the asked tree size', async () => {
    const proofs = new AuditProofs(growingLog(37).source);
    for (const [seq, treeSize] of [
      [1, 1],
      [1, 37],
      [17, 32],
      [37, 37],
      [20, 21],
    ] as const) {
      const response = await proofs.inclusion(seq, treeSize);
      expect(response).toMatchObject({ seq, leafIndex: seq - 1, treeSize, leafHash: hex(leaves[seq - 1]!), rootHash: hex(rootHash(leaves.slice(0, treeSize))) });
      expect(verifyInclusion({ index: seq - 1, treeSize, leafHash: leaves[seq - 1]!, proof: response.proof.map(bytes), rootHash: bytes(response.rootHash) })).toBe(true);
    }
  });

  it('answers consistency proofs that verify', async () => {
    const proofs = new AuditProofs(growingLog(37).source);
    for (const [first, second] of [
      [1, 37],
      [7, 8],
      [16, 33],
      [37, 37],
    ] as const) {
      const response = await proofs.consistency(first, second);
      const check = { first, second, firstRoot: rootHash(leaves.slice(0, first)), secondRoot: rootHash(leaves.slice(0, second)), proof: response.proof.map(bytes) };
      expect(verifyConsistency(check)).toBe(true);
    }
  });

  it('reads only the records added since the last proof', async () => {
    const log = growingLog(10);
    const proofs = new AuditProofs(log.source);
    await proofs.inclusion(3, 10);
    const reads = log.reads();
    await proofs.inclusion(4, 10);
    expect(log.reads()).toBe(reads);
    log.grow(30);
    expect((await proofs.inclusion(4, 30)).rootHash).toBe(hex(rootHash(leaves.slice(0, 30))));
  });

  it('refuses sizes the log has not reached and records outside the tree, as client errors', async () => {
    const proofs = new AuditProofs(growingLog(10).source);
    await expect(proofs.inclusion(3, 11)).rejects.toMatchObject({ kind: 'invalid', code: 'TREE_SIZE_TOO_LARGE', errors: [{ location: 'query.treeSize' }] });
    await expect(proofs.inclusion(5, 4)).rejects.toMatchObject({ kind: 'invalid', code: 'RECORD_NOT_IN_TREE' });
    await expect(proofs.inclusion(12, 10)).rejects.toMatchObject({ kind: 'not_found', code: 'RECORD_NOT_FOUND' });
    await expect(proofs.consistency(5, 4)).rejects.toBeInstanceOf(ToolportError);
    await expect(proofs.consistency(5, 11)).rejects.toMatchObject({ code: 'TREE_SIZE_TOO_LARGE', errors: [{ location: 'query.second' }] });
  });
});
