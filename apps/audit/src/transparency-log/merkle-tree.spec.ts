import { performance } from 'node:perf_hooks';
import { EMPTY_ROOT, inclusionProof, leafHash, rootHash, verifyConsistency, verifyInclusion } from './merkle';
import { MerkleAccumulator } from './merkle-accumulator';
import { MerkleTree } from './merkle-tree';

const leavesOf = (size: number): Buffer[] => Array.from({ length: size }, (_, index) => leafHash(Buffer.from(`record ${index}`)));

describe('MerkleTree on a log of 100,000 records', () => {
  const leaves = leavesOf(100_000);
  let tree: MerkleTree;

  beforeAll(() => {
    tree = MerkleTree.from(leaves);
  });

  it('has the same root as the reference MTH and as the accumulator', () => {
    const accumulator = new MerkleAccumulator();
    for (const leaf of leaves) accumulator.append(leaf);
    const expected = rootHash(leaves);
    expect(tree.rootHash()).toEqual(expected);
    expect(accumulator.rootHash()).toEqual(expected);
  });

  it('answers proofs in microseconds where the plain function rehashes every leaf', () => {
    // Generous bound for a loaded 2-core CI machine: measured ~0.1 ms per proof pair here (expect
    // included), while the plain inclusionProof over 100,000 leaves takes ~200 ms per call.
    const started = performance.now();
    for (let i = 0; i < 1000; i += 1) {
      const size = 50_000 + i * 37;
      const index = (i * 7919) % size;
      const proof = tree.inclusionProof(index, size);
      expect(proof.length).toBeGreaterThan(0);
      tree.consistencyProof(size - 1 - i, 100_000);
    }
    const perPair = (performance.now() - started) / 1000;
    expect(perPair).toBeLessThan(2);
  });

  it('proves a leaf of the full tree exactly as the reference PATH does, and it verifies', () => {
    const index = 77_777;
    const proof = tree.inclusionProof(index);
    expect(proof).toEqual(inclusionProof(index, leaves));
    expect(verifyInclusion({ index, treeSize: 100_000, leafHash: leaves[index]!, proof, rootHash: tree.rootHash() })).toBe(true);
  });

  it('proves that the head of 65,537 records is a prefix of the head of 100,000', () => {
    const proof = tree.consistencyProof(65_537, 100_000);
    const check = { first: 65_537, second: 100_000, firstRoot: tree.rootHash(65_537), secondRoot: tree.rootHash(), proof };
    expect(verifyConsistency(check)).toBe(true);
    expect(verifyConsistency({ ...check, firstRoot: tree.rootHash(65_536) })).toBe(false);
  });
});

describe('MerkleTree boundaries', () => {
  it('is empty with the empty root, and refuses sizes and indexes it does not hold', () => {
    const tree = new MerkleTree();
    expect(tree.size).toBe(0);
    expect(tree.rootHash()).toEqual(EMPTY_ROOT);
    expect(() => tree.inclusionProof(0)).toThrow(RangeError);
    expect(tree.consistencyProof(0)).toEqual([]);
    tree.append(leafHash(Buffer.from('one')));
    expect(() => tree.rootHash(2)).toThrow(RangeError);
    expect(() => tree.inclusionProof(0, 2)).toThrow(RangeError);
    expect(() => tree.inclusionProof(1)).toThrow(RangeError);
    expect(() => tree.consistencyProof(2, 1)).toThrow(RangeError);
    expect(() => tree.leafHash(1)).toThrow(RangeError);
    expect(() => tree.rootHash(-1)).toThrow(RangeError);
  });

  it('accepts only 32-byte leaf hashes', () => {
    expect(() => new MerkleTree().append(Buffer.alloc(31))).toThrow(TypeError);
    expect(() => new MerkleAccumulator().append(Buffer.alloc(33))).toThrow(TypeError);
    expect(() => rootHash([Buffer.alloc(32), Buffer.from('short')])).toThrow('leafHashes[1]');
  });

  it('hands out copies, so a caller cannot corrupt the stored tree', () => {
    const leaves = leavesOf(5);
    const tree = MerkleTree.from(leaves);
    const before = tree.rootHash();
    tree.leafHash(2).fill(0);
    tree.inclusionProof(2)[0]!.fill(0);
    tree.rootHash().fill(0);
    expect(tree.rootHash()).toEqual(before);
  });
});

describe('MerkleAccumulator state', () => {
  it('refuses a state whose peak count does not match its size', () => {
    expect(() => new MerkleAccumulator({ treeSize: 3, peaks: [EMPTY_ROOT.toString('hex')] })).toThrow('has 2 peaks');
    expect(() => new MerkleAccumulator({ treeSize: -1, peaks: [] })).toThrow(RangeError);
    expect(() => new MerkleAccumulator({ treeSize: 1, peaks: ['not hex'] })).toThrow(TypeError);
  });

  it('keeps one peak per 1-bit of the size', () => {
    const accumulator = new MerkleAccumulator();
    for (const leaf of leavesOf(13)) accumulator.append(leaf);
    expect(accumulator.state().peaks).toHaveLength(3); // 13 = 0b1101
    expect(accumulator.state().treeSize).toBe(13);
  });
});
