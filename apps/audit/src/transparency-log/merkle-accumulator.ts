import { EMPTY_ROOT, HASH_SIZE, hashFromHex, isHash, isTreeIndex, nodeHash } from './merkle-hash';

/** What a MerkleAccumulator needs to resume: store it next to a signed head, restore on start. */
export interface AccumulatorState {
  treeSize: number;
  /** Hex roots of the perfect subtrees covering [0, treeSize), largest (leftmost) first. */
  peaks: string[];
}

/**
 * The root of a growing tree in O(log n) memory: the compact range [0, n) of
 * transparency-dev/merkle's docs/compact_ranges.md, i.e. one root per 1-bit of n, the roots of
 * the perfect subtrees that tile the leaves from the left, largest first. Appending merges equal
 * neighbours like a binary counter carries (amortised one hash); the root folds the peaks from the
 * right, which is exactly MTH's split at the largest power of two (RFC 6962 §2.1): for n = 7 the
 * peaks cover 4, 2 and 1 leaves and MTH = HASH(p4 || HASH(p2 || p1)).
 */
export class MerkleAccumulator {
  private readonly peaks: Buffer[];
  private count: number;

  constructor(state?: AccumulatorState) {
    if (!state) {
      this.peaks = [];
      this.count = 0;
      return;
    }
    if (!isTreeIndex(state.treeSize)) throw new RangeError(`tree size ${state.treeSize} is not a non-negative integer`);
    const expected = bitCount(state.treeSize);
    if (!Array.isArray(state.peaks) || state.peaks.length !== expected) {
      throw new RangeError(`a tree of ${state.treeSize} leaves has ${expected} peaks, not ${state.peaks?.length}`);
    }
    this.peaks = state.peaks.map(hashFromHex);
    this.count = state.treeSize;
  }

  get size(): number {
    return this.count;
  }

  append(leafHash: Uint8Array): void {
    if (!isHash(leafHash)) throw new TypeError(`a leaf hash must be ${HASH_SIZE} bytes`);
    this.peaks.push(Buffer.from(leafHash));
    // One merge per trailing 1-bit of the old size: those are the peaks of the same size.
    for (let n = this.count; n % 2 === 1; n = (n - 1) / 2) {
      const right = this.peaks.pop()!;
      const left = this.peaks.pop()!;
      this.peaks.push(nodeHash(left, right));
    }
    this.count += 1;
  }

  /** MTH of everything appended so far (a new Buffer). */
  rootHash(): Buffer {
    if (this.peaks.length === 0) return Buffer.from(EMPTY_ROOT);
    let root = this.peaks[this.peaks.length - 1]!;
    for (let i = this.peaks.length - 2; i >= 0; i -= 1) root = nodeHash(this.peaks[i]!, root);
    return Buffer.from(root);
  }

  state(): AccumulatorState {
    return { treeSize: this.count, peaks: this.peaks.map((peak) => peak.toString('hex')) };
  }
}

function bitCount(n: number): number {
  let bits = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) bits += rest % 2;
  return bits;
}
