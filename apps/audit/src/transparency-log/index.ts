// The transparency log's pure core: formats, hashing, proofs, signed heads. No I/O.
export * from './log-format';
export * from './merkle';
export { isHash, isTreeIndex, hashFromHex, HEX_HASH_PATTERN } from './merkle-hash';
export { MerkleTree } from './merkle-tree';
export { MerkleAccumulator, type AccumulatorState } from './merkle-accumulator';
export { canonicalJson, leafData, payloadDigest, recordLeafHash, LEAF_FIELD_NAMES } from './canonical-json';
export * from './tree-head';
export * from './signing-key';
