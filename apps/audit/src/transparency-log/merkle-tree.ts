import { EMPTY_ROOT, HASH_SIZE, isHash, isPowerOfTwo, isTreeIndex, nodeHash, splitPoint } from './merkle-hash';
import { consistencyPath, inclusionPath } from './merkle-proof-paths';

/**
 * An append-only Merkle tree that keeps the hash of every perfect subtree (2n - 1 hashes for n
 * leaves, 32 bytes each in one growing buffer per level: ~6.4 MB for 100,000 leaves), so that the
 * root of any past size and any inclusion or consistency proof cost O(log n) hashes instead of
 * rehashing all leaves. Appending costs one hash on average (a carry per completed pair).
 *
 * Level h holds, left to right, the roots of the subtrees of 2^h leaves that are complete: entry i
 * covers leaves [i * 2^h, (i + 1) * 2^h). A range the RFC recursions ask for is either such a
 * subtree (read) or split at k as in MTH (hashed from at most log n reads).
 */
export class MerkleTree {
  private readonly levels: HashColumn[] = [new HashColumn()];
  private leafCount = 0;

  /** A tree holding the given leaf hashes (each SHA-256(0x00 || leaf data)) in order. */
  static from(leafHashes: Iterable<Uint8Array>): MerkleTree {
    const tree = new MerkleTree();
    for (const hash of leafHashes) tree.append(hash);
    return tree;
  }

  get size(): number {
    return this.leafCount;
  }

  /** Adds the next leaf; its index is the size before the call. */
  append(leafHash: Uint8Array): void {
    if (!isHash(leafHash)) throw new TypeError(`a leaf hash must be ${HASH_SIZE} bytes`);
    this.levels[0]!.push(leafHash);
    // Leaf n completes one subtree per trailing 1-bit of n (the index it got).
    let index = this.leafCount;
    let level = 0;
    while (index % 2 === 1) {
      const column = this.levels[level]!;
      const parent = nodeHash(column.view(index - 1), column.view(index));
      level += 1;
      index = (index - 1) / 2;
      (this.levels[level] ??= new HashColumn()).push(parent);
    }
    this.leafCount += 1;
  }

  /** The leaf hash at `index` (a copy). */
  leafHash(index: number): Buffer {
    this.assertIndex(index, this.leafCount);
    return Buffer.from(this.levels[0]!.view(index));
  }

  /** MTH of the first `treeSize` leaves (default: all), for any size up to the current one. */
  rootHash(treeSize: number = this.leafCount): Buffer {
    this.assertSize(treeSize);
    return treeSize === 0 ? Buffer.from(EMPTY_ROOT) : this.rangeHash(0, treeSize);
  }

  /** RFC 6962 §2.1.1 PATH of leaf `index` in the tree of the first `treeSize` leaves. */
  inclusionProof(index: number, treeSize: number = this.leafCount): Buffer[] {
    this.assertSize(treeSize);
    return inclusionPath(index, treeSize, (lo, hi) => this.rangeHash(lo, hi));
  }

  /** RFC 6962 §2.1.2 PROOF from the tree of `first` leaves to the tree of `second` leaves. */
  consistencyProof(first: number, second: number = this.leafCount): Buffer[] {
    this.assertSize(second);
    return consistencyPath(first, second, (lo, hi) => this.rangeHash(lo, hi));
  }

  /** MTH(D[lo:hi]) for a range of the left-balanced tree (lo aligned to hi - lo's split). */
  private rangeHash(lo: number, hi: number): Buffer {
    const width = hi - lo;
    if (isPowerOfTwo(width)) {
      const level = Math.round(Math.log2(width)); // exact for powers of two
      return Buffer.from(this.levels[level]!.view(lo / width));
    }
    const k = splitPoint(width);
    return nodeHash(this.rangeHash(lo, lo + k), this.rangeHash(lo + k, hi));
  }

  private assertSize(treeSize: number): void {
    if (!isTreeIndex(treeSize) || treeSize > this.leafCount) {
      throw new RangeError(`tree size ${treeSize} is not between 0 and the current size ${this.leafCount}`);
    }
  }

  private assertIndex(index: number, treeSize: number): void {
    if (!isTreeIndex(index) || index >= treeSize) {
      throw new RangeError(`leaf index ${index} is outside a tree of ${treeSize} leaves`);
    }
  }
}

/** Fixed-size hashes packed in one buffer that doubles when full (no per-hash object). */
class HashColumn {
  private buffer = Buffer.allocUnsafe(HASH_SIZE * 16);
  private count = 0;

  push(hash: Uint8Array): void {
    if ((this.count + 1) * HASH_SIZE > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
      this.buffer.copy(bigger, 0, 0, this.count * HASH_SIZE);
      this.buffer = bigger;
    }
    this.buffer.set(hash, this.count * HASH_SIZE);
    this.count += 1;
  }

  /** A view into the column: valid until the next push, never handed out uncopied. */
  view(index: number): Buffer {
    return this.buffer.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }
}
