import { EMPTY_ROOT, isHash, isPowerOfTwo, isTreeIndex, nodeHash } from './merkle-hash';

/**
 * Proof verification exactly as RFC 9162 §2.1.3.2 and §2.1.4.2 write it, with the bit operations
 * done in arithmetic (`% 2`, `/ 2`) because JavaScript's `>>` works on 32 bits. Every function
 * answers false, never throws, for any malformed input: the inputs come from the network.
 */

export interface InclusionCheck {
  /** 0-based leaf index (seq - 1). */
  index: number;
  treeSize: number;
  leafHash: Uint8Array;
  proof: readonly Uint8Array[];
  rootHash: Uint8Array;
}

export interface ConsistencyCheck {
  first: number;
  second: number;
  firstRoot: Uint8Array;
  secondRoot: Uint8Array;
  proof: readonly Uint8Array[];
}

const half = (n: number): number => Math.floor(n / 2);
const lsb = (n: number): boolean => n % 2 === 1;

/** RFC 9162 §2.1.3.2: verifying an inclusion proof. */
export function verifyInclusion({ index, treeSize, leafHash, proof, rootHash }: InclusionCheck): boolean {
  if (!isTreeIndex(index) || !isTreeIndex(treeSize) || index >= treeSize) return false;
  if (!isHash(leafHash) || !isHash(rootHash) || !Array.isArray(proof) || !proof.every(isHash)) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && Buffer.from(r).equals(rootHash);
}

/**
 * RFC 9162 §2.1.4.2: verifying a consistency proof between tree sizes `first` <= `second`.
 * The RFC's algorithm covers 0 < first < second; the other cases follow from the definitions:
 * - first = second: consistent iff the roots are equal, and the proof must be empty;
 * - first = 0: the empty tree is a prefix of every tree, the proof must be empty, and the first
 *   root must be MTH({}) = SHA-256() (transparency-dev/merkle does not check that root; a head
 *   claiming another root for size 0 is false, so it fails here);
 * - first > second: never.
 */
export function verifyConsistency({ first, second, firstRoot, secondRoot, proof }: ConsistencyCheck): boolean {
  if (!isTreeIndex(first) || !isTreeIndex(second) || first > second) return false;
  if (!isHash(firstRoot) || !isHash(secondRoot) || !Array.isArray(proof) || !proof.every(isHash)) return false;
  if (first === second) return proof.length === 0 && Buffer.from(firstRoot).equals(secondRoot);
  if (first === 0) return proof.length === 0 && EMPTY_ROOT.equals(firstRoot);
  if (proof.length === 0) return false;

  // Step 2: when the old tree is a perfect subtree, the proof leaves out its root (the verifier
  // has it), so it is put back in front.
  const path: readonly Uint8Array[] = isPowerOfTwo(first) ? [firstRoot, ...proof] : proof;
  let fn = first - 1;
  let sn = second - 1;
  while (lsb(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && Buffer.from(fr).equals(firstRoot) && Buffer.from(sr).equals(secondRoot);
}

