import fc from 'fast-check';
import { consistencyProof, inclusionProof, leafHash, rootHash, verifyConsistency, verifyInclusion } from './merkle';
import { MerkleAccumulator } from './merkle-accumulator';
import { MerkleTree } from './merkle-tree';

/** Deterministic leaves for a (seed, size): distinct data per seed so trees differ between runs. */
function leavesOf(seed: number, size: number): Buffer[] {
  return Array.from({ length: size }, (_, index) => leafHash(Buffer.from(`${seed}:${index}`)));
}

function flip(hash: Buffer, bitIndex: number): Buffer {
  const copy = Buffer.from(hash);
  copy[bitIndex >> 3]! ^= 1 << (bitIndex & 7);
  return copy;
}

const seed = fc.integer({ min: 0, max: 1_000_000 });
/** A tree size and a leaf index inside it. */
const sizeAndIndex = fc.integer({ min: 1, max: 300 }).chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 })));
/** 0 <= first <= second <= 300. */
const sizePair = fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 })).map(([x, y]) => [Math.min(x, y), Math.max(x, y)] as const);
const bit = fc.integer({ min: 0, max: 255 });

describe('Merkle proofs: properties over random trees', () => {
  it('every inclusion proof verifies, and is the same from the plain function and from MerkleTree', () => {
    fc.assert(
      fc.property(seed, sizeAndIndex, (s, [size, index]) => {
        const leaves = leavesOf(s, size);
        const proof = inclusionProof(index, leaves);
        expect(MerkleTree.from(leaves).inclusionProof(index)).toEqual(proof);
        expect(verifyInclusion({ index, treeSize: size, leafHash: leaves[index]!, proof, rootHash: rootHash(leaves) })).toBe(true);
      }),
    );
  });

  it('one flipped bit anywhere (proof, leaf or root) makes an inclusion proof fail', () => {
    fc.assert(
      fc.property(seed, sizeAndIndex, fc.nat(), bit, (s, [size, index], pick, bitIndex) => {
        const leaves = leavesOf(s, size);
        const proof = inclusionProof(index, leaves);
        const root = rootHash(leaves);
        const target = pick % (proof.length + 2);
        const check = {
          index,
          treeSize: size,
          leafHash: target === proof.length ? flip(leaves[index]!, bitIndex) : leaves[index]!,
          rootHash: target === proof.length + 1 ? flip(root, bitIndex) : root,
          proof: proof.map((hash, at) => (at === target ? flip(hash, bitIndex) : hash)),
        };
        expect(verifyInclusion(check)).toBe(false);
      }),
    );
  });

  it('a proof for one leaf does not verify another leaf or another tree size', () => {
    fc.assert(
      fc.property(seed, sizeAndIndex, fc.integer({ min: 1, max: 300 }), (s, [size, index], offset) => {
        const leaves = leavesOf(s, size + offset);
        const proof = inclusionProof(index, leaves.slice(0, size));
        const root = rootHash(leaves.slice(0, size));
        const otherIndex = (index + offset) % size;
        if (otherIndex !== index) {
          expect(verifyInclusion({ index: otherIndex, treeSize: size, leafHash: leaves[otherIndex]!, proof, rootHash: root })).toBe(false);
        }
        expect(verifyInclusion({ index, treeSize: size + offset, leafHash: leaves[index]!, proof, rootHash: rootHash(leaves) })).toBe(false);
      }),
    );
  });

  it('every consistency proof between two sizes verifies, from the plain function and from MerkleTree alike', () => {
    fc.assert(
      fc.property(seed, sizePair, (s, [first, second]) => {
        const leaves = leavesOf(s, second);
        const proof = consistencyProof(first, leaves);
        expect(MerkleTree.from(leaves).consistencyProof(first)).toEqual(proof);
        const check = { first, second, firstRoot: rootHash(leaves.slice(0, first)), secondRoot: rootHash(leaves), proof };
        expect(verifyConsistency(check)).toBe(true);
      }),
    );
  });

  it('a wrong root or a flipped proof bit makes a consistency proof fail', () => {
    fc.assert(
      fc.property(seed, sizePair, fc.nat(), bit, (s, [first, second], pick, bitIndex) => {
        const leaves = leavesOf(s, second);
        const proof = consistencyProof(first, leaves);
        const firstRoot = rootHash(leaves.slice(0, first));
        const secondRoot = rootHash(leaves);
        // The empty tree is a prefix of every tree: for first = 0 only the first root is checked.
        const target = first === 0 ? proof.length : pick % (proof.length + 2);
        const check = {
          first,
          second,
          firstRoot: target === proof.length ? flip(firstRoot, bitIndex) : firstRoot,
          secondRoot: target === proof.length + 1 ? flip(secondRoot, bitIndex) : secondRoot,
          proof: proof.map((hash, at) => (at === target ? flip(hash, bitIndex) : hash)),
        };
        expect(verifyConsistency(check)).toBe(false);
      }),
    );
  });

  it('a consistency proof fails between trees that differ in a shared leaf', () => {
    fc.assert(
      fc.property(seed, sizePair, fc.nat(), (s, [first, second], pick) => {
        fc.pre(first > 0);
        const leaves = leavesOf(s, second);
        const rewritten = [...leaves];
        rewritten[pick % first] = leafHash(Buffer.from('rewritten history'));
        const proof = consistencyProof(first, rewritten);
        const check = { first, second, firstRoot: rootHash(leaves.slice(0, first)), secondRoot: rootHash(rewritten), proof };
        expect(verifyConsistency(check)).toBe(false);
      }),
    );
  });

  it('the accumulator equals rootHash at every size, also after saving and restoring its state', () => {
    fc.assert(
      // rootHash is O(n) per size, so the trees stay smaller here to keep the test quick.
      fc.property(seed, fc.integer({ min: 0, max: 130 }), fc.nat(), (s, size, cut) => {
        const leaves = leavesOf(s, size);
        const restoreAt = size === 0 ? 0 : cut % (size + 1);
        let accumulator = new MerkleAccumulator();
        expect(accumulator.rootHash()).toEqual(rootHash([]));
        leaves.forEach((leaf, index) => {
          if (index === restoreAt) accumulator = new MerkleAccumulator(JSON.parse(JSON.stringify(accumulator.state())));
          accumulator.append(leaf);
          expect(accumulator.size).toBe(index + 1);
          expect(accumulator.rootHash()).toEqual(rootHash(leaves.slice(0, index + 1)));
        });
      }),
    );
  });

  it('MerkleTree answers for every past size exactly like a tree built to that size', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 200 }), fc.nat(), fc.nat(), (s, size, x, y) => {
        const leaves = leavesOf(s, size);
        const tree = MerkleTree.from(leaves);
        const past = 1 + (x % size);
        const index = y % past;
        expect(tree.rootHash(past)).toEqual(rootHash(leaves.slice(0, past)));
        expect(tree.inclusionProof(index, past)).toEqual(inclusionProof(index, leaves.slice(0, past)));
        expect(tree.consistencyProof(index, past)).toEqual(consistencyProof(index, leaves.slice(0, past)));
        expect(tree.leafHash(index)).toEqual(leaves[index]);
      }),
    );
  });
});

describe('Merkle proofs: exhaustive over small trees', () => {
  it('every inclusion and consistency proof of every tree up to 40 leaves verifies, and not against a neighbour size', () => {
    const leaves = leavesOf(7, 40);
    const tree = MerkleTree.from(leaves);
    const roots = Array.from({ length: 41 }, (_, size) => tree.rootHash(size));
    for (let second = 0; second <= 40; second += 1) {
      for (let index = 0; index < second; index += 1) {
        const proof = tree.inclusionProof(index, second);
        expect(verifyInclusion({ index, treeSize: second, leafHash: leaves[index]!, proof, rootHash: roots[second]! })).toBe(true);
      }
      for (let first = 0; first <= second; first += 1) {
        const proof = tree.consistencyProof(first, second);
        expect(verifyConsistency({ first, second, firstRoot: roots[first]!, secondRoot: roots[second]!, proof })).toBe(true);
        if (first > 0 && first < second) {
          expect(verifyConsistency({ first: first - 1, second, firstRoot: roots[first - 1]!, secondRoot: roots[second]!, proof })).toBe(false);
        }
      }
    }
  });
});
