import { EMPTY_ROOT, HASH_SIZE, isHash, nodeHash, splitPoint } from './merkle-hash';
import { consistencyPath, inclusionPath, type RangeHasher } from './merkle-proof-paths';

/**
 * The Merkle tree of RFC 6962 §2.1 / RFC 9162 §2.1 over an array of leaf hashes, as plain
 * functions: the reference definitions, O(n) hashes per call. For a log of thousands of leaves and
 * many proofs use MerkleTree (stored subtrees, O(log n) per proof) or MerkleAccumulator (root
 * only, O(log n) memory).
 */
export { EMPTY_ROOT, HASH_SIZE, leafHash, nodeHash } from './merkle-hash';
export { verifyConsistency, verifyInclusion, type ConsistencyCheck, type InclusionCheck } from './merkle-verify';

/**
 * MTH(D[n]) (RFC 6962 §2.1) of the given leaf hashes (each already SHA-256(0x00 || d)):
 *   MTH({}) = SHA-256(), MTH({d}) = leaf hash, MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n]))
 * with k the largest power of two smaller than n. Always a new Buffer.
 */
export function rootHash(leafHashes: readonly Uint8Array[]): Buffer {
  assertLeafHashes(leafHashes);
  if (leafHashes.length === 0) return Buffer.from(EMPTY_ROOT);
  return Buffer.from(mth(leafHashes, 0, leafHashes.length));
}

/**
 * The audit path (RFC 6962 §2.1.1 PATH, RFC 9162 §2.1.3.1) of leaf `index` in the tree made of
 * all of `leafHashes` (pass the first treeSize of them for an older tree), leaf-side sibling
 * first. Throws a RangeError for an empty tree or an index outside it.
 */
export function inclusionProof(index: number, leafHashes: readonly Uint8Array[]): Buffer[] {
  assertLeafHashes(leafHashes);
  return inclusionPath(index, leafHashes.length, rangeOf(leafHashes));
}

/**
 * The consistency proof (RFC 6962 §2.1.2 PROOF/SUBPROOF, RFC 9162 §2.1.4.1) from the tree of the
 * first `first` leaves to the tree of all of `leafHashes`. Empty for first = 0 and first = length;
 * a RangeError for first > length.
 */
export function consistencyProof(first: number, leafHashes: readonly Uint8Array[]): Buffer[] {
  assertLeafHashes(leafHashes);
  return consistencyPath(first, leafHashes.length, rangeOf(leafHashes));
}

function rangeOf(leafHashes: readonly Uint8Array[]): RangeHasher {
  return (lo, hi) => Buffer.from(mth(leafHashes, lo, hi));
}

function mth(leafHashes: readonly Uint8Array[], lo: number, hi: number): Uint8Array {
  if (hi - lo === 1) return leafHashes[lo]!;
  const k = splitPoint(hi - lo);
  return nodeHash(mth(leafHashes, lo, lo + k), mth(leafHashes, lo + k, hi));
}

function assertLeafHashes(leafHashes: readonly Uint8Array[]): void {
  if (!Array.isArray(leafHashes)) throw new TypeError('leafHashes must be an array of leaf hashes');
  const bad = leafHashes.findIndex((hash) => !isHash(hash));
  if (bad !== -1) throw new TypeError(`leafHashes[${bad}] is not a ${HASH_SIZE}-byte hash`);
}
