import { isTreeIndex, splitPoint } from './merkle-hash';

/**
 * The RFC 6962 proof recursions, written once over "the hash of the leaves [lo, hi)" so that the
 * plain functions of merkle.ts (which hash leaves on demand) and MerkleTree (which reads stored
 * subtree hashes) produce their proofs by literally the same steps.
 *
 * Every range the recursions ask for is a subtree of the left-balanced tree: its start is a
 * multiple of the largest power of two not above its length, so a power-of-two range is always a
 * perfect (complete) subtree.
 */
export type RangeHasher = (lo: number, hi: number) => Buffer;

/**
 * PATH(m, D[n]) of RFC 6962 §2.1.1 (the "inclusion proof" of RFC 9162 §2.1.3.1):
 *   PATH(0, {d0}) = {}
 *   PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])       for m < k
 *   PATH(m, D[n]) = PATH(m - k, D[k:n]) : MTH(D[0:k])   for m >= k
 * Unrolled: the siblings are met from the root down and the recursion appends them on the way
 * back up, so the list is reversed at the end (leaf-side sibling first).
 */
export function inclusionPath(index: number, treeSize: number, rangeHash: RangeHasher): Buffer[] {
  if (!isTreeIndex(treeSize) || treeSize === 0) {
    throw new RangeError(`an inclusion proof needs a non-empty tree (tree size ${treeSize})`);
  }
  if (!isTreeIndex(index) || index >= treeSize) {
    throw new RangeError(`leaf index ${index} is outside a tree of ${treeSize} leaves`);
  }
  const siblings: Buffer[] = [];
  let lo = 0;
  let hi = treeSize;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      siblings.push(rangeHash(lo + k, hi));
      hi = lo + k;
    } else {
      siblings.push(rangeHash(lo, lo + k));
      lo += k;
    }
  }
  return siblings.reverse();
}

/**
 * PROOF(m, D[n]) = SUBPROOF(m, D[n], true) of RFC 6962 §2.1.2 (RFC 9162 §2.1.4.1):
 *   SUBPROOF(m, D[m], true)  = {}
 *   SUBPROOF(m, D[m], false) = {MTH(D[m])}
 *   SUBPROOF(m, D[n], b) = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])          for m <= k
 *   SUBPROOF(m, D[n], b) = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])  for m > k
 * The RFCs define it for 0 < m < n. For m = n and m = 0 the proof is empty: an equal tree and the
 * empty tree are consistent with anything by definition (RFC 9162 §2.1.4.2 is only run for
 * 0 < first < second; see verifyConsistency for how those cases are verified).
 */
export function consistencyPath(first: number, second: number, rangeHash: RangeHasher): Buffer[] {
  if (!isTreeIndex(second)) throw new RangeError(`tree size ${second} is not a non-negative integer`);
  if (!isTreeIndex(first) || first > second) {
    throw new RangeError(`no consistency proof from tree size ${first} to the smaller or invalid size ${second}`);
  }
  if (first === 0 || first === second) return [];
  const nodes: Buffer[] = [];
  let lo = 0;
  let hi = second;
  let m = first; // relative to lo
  let wholeOldTree = true; // RFC 6962's b: is D[0:first] itself the subtree we stand in?
  for (;;) {
    const size = hi - lo;
    if (m === size) {
      if (!wholeOldTree) nodes.push(rangeHash(lo, hi));
      break;
    }
    const k = splitPoint(size);
    if (m <= k) {
      nodes.push(rangeHash(lo + k, hi));
      hi = lo + k;
    } else {
      nodes.push(rangeHash(lo, lo + k));
      lo += k;
      m -= k;
      wholeOldTree = false;
    }
  }
  return nodes.reverse();
}
