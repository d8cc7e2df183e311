import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  nodeHash,
  rootHash,
  verifyConsistency,
  verifyInclusion,
} from './merkle';
import { MerkleAccumulator } from './merkle-accumulator';
import { MerkleTree } from './merkle-tree';

/*
 * Known-answer vectors from the Certificate Transparency reference implementation, the classic
 * 8-leaf data set shared by google/trillian and its successor transparency-dev/merkle (Apache-2.0):
 * - leaf inputs, every perfect-subtree hash and the root of every size 0..8:
 *   transparency-dev/merkle testonly/constants.go (LeafInputs, NodeHashes, RootHashes);
 * - inclusion and consistency proofs as hashes: proof/verify_test.go (inclusionProofs with 1-based
 *   leaf numbers, consistencyProofs);
 * - which nodes make up each proof in trees of up to 8 leaves: proof/proof_test.go (TestInclusion,
 *   TestConsistency), turned into hashes here through NodeHashes.
 * Only the data is taken; the hex strings are copied verbatim.
 */
const h = (hex: string): Buffer => Buffer.from(hex, 'hex');

const LEAF_INPUTS = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(h);

/** NODE_HASHES[level][index]: the root of leaves [index * 2^level, (index + 1) * 2^level). */
const NODE_HASHES = [
  [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
    '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
    'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
    '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
  ],
  [
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
  ],
  ['d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'],
  ['5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'],
].map((level) => level.map(h));

/** ROOTS[size] for sizes 0..8. */
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(h);

/** proof/verify_test.go inclusionProofs, leaf numbers made 0-based: [index, treeSize, proof]. */
const INCLUSION_VECTORS: [number, number, string[]][] = [
  [0, 1, []],
  [0, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [5, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [1, 5, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
];

/** proof/verify_test.go consistencyProofs: [first, second, proof]. */
const CONSISTENCY_VECTORS: [number, number, string[]][] = [
  [1, 1, []],
  [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [6, 8, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
  [6, 7, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
];

// proof/proof_test.go's tree of 7: a..f, j are leaves 0..6; g h i are level 1; k is level 2.
const n = (level: number, index: number): Buffer => NODE_HASHES[level]![index]!;
const [a, b, c, d, e, f, j] = [0, 1, 2, 3, 4, 5, 6].map((i) => n(0, i)) as Buffer[];
const [g, hh, i] = [0, 1, 2].map((x) => n(1, x)) as Buffer[];
const k = n(2, 0);
/** The "rehash" entries: the root of leaves 4..6, HASH(i || j), which is no perfect subtree. */
const lPrime = nodeHash(i!, j!);

/** TestInclusion cases with size <= 8 as hashes: [treeSize, index, proof]. */
const INCLUSION_STRUCTURE: [number, number, Buffer[]][] = [
  [1, 0, []], [2, 0, [b!]], [2, 1, [a!]], [3, 1, [a!, c!]],
  [7, 0, [b!, hh!, lPrime]], [7, 1, [a!, hh!, lPrime]], [7, 2, [d!, g!, lPrime]], [7, 3, [c!, g!, lPrime]],
  [7, 4, [f!, j!, k!]], [7, 5, [e!, j!, k!]], [7, 6, [i!, k!]],
  [4, 2, [d!, g!]], [5, 3, [c!, g!, e!]], [6, 3, [c!, g!, i!]], [6, 4, [f!, k!]],
];

/** TestConsistency cases with second <= 8 as hashes: [first, second, proof]. */
const CONSISTENCY_STRUCTURE: [number, number, Buffer[]][] = [
  [1, 2, [b!]], [1, 4, [b!, hh!]], [1, 6, [b!, hh!, i!]], [2, 3, [c!]], [2, 8, [hh!, n(2, 1)]],
  [3, 7, [c!, d!, g!, lPrime]], [4, 7, [lPrime]], [5, 7, [e!, f!, j!, k!]], [6, 7, [i!, j!, k!]],
  [7, 8, [j!, n(0, 7), i!, k!]], [2, 4, [hh!]], [3, 5, [c!, d!, g!, e!]], [3, 6, [c!, d!, g!, i!]],
  [4, 6, [i!]], [1, 7, [b!, hh!, lPrime]],
  ...[1, 2, 3, 4, 5, 7, 8].map((size): [number, number, Buffer[]] => [size, size, []]),
];

const LEAVES = LEAF_INPUTS.map(leafHash);
const hexes = (hashes: readonly Buffer[]): string[] => hashes.map((x) => x.toString('hex'));

describe('RFC 6962 hashing against the CT reference vectors', () => {
  it('hashes every leaf and every perfect subtree as the reference does', () => {
    expect(hexes(LEAVES)).toEqual(hexes(NODE_HASHES[0]!));
    for (let level = 1; level < NODE_HASHES.length; level += 1) {
      NODE_HASHES[level]!.forEach((expected, index) => {
        expect(nodeHash(n(level - 1, 2 * index), n(level - 1, 2 * index + 1)).toString('hex')).toBe(expected.toString('hex'));
      });
    }
  });

  it('computes the published root of every tree size 0..8 three ways', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe(ROOTS[0]!.toString('hex'));
    const tree = MerkleTree.from(LEAVES);
    const accumulator = new MerkleAccumulator();
    for (let size = 0; size <= 8; size += 1) {
      if (size > 0) accumulator.append(LEAVES[size - 1]!);
      expect(rootHash(LEAVES.slice(0, size)).toString('hex')).toBe(ROOTS[size]!.toString('hex'));
      expect(tree.rootHash(size).toString('hex')).toBe(ROOTS[size]!.toString('hex'));
      expect(accumulator.rootHash().toString('hex')).toBe(ROOTS[size]!.toString('hex'));
    }
  });
});

describe('inclusion proofs against the CT reference vectors', () => {
  it.each(INCLUSION_VECTORS)('leaf %i in a tree of %i: generated as published, verifies', (index, size, proof) => {
    expect(hexes(inclusionProof(index, LEAVES.slice(0, size)))).toEqual(proof);
    expect(hexes(MerkleTree.from(LEAVES).inclusionProof(index, size))).toEqual(proof);
    expect(verifyInclusion({ index, treeSize: size, leafHash: LEAVES[index]!, proof: proof.map(h), rootHash: ROOTS[size]! })).toBe(true);
  });

  it.each(INCLUSION_STRUCTURE)('tree of %i, leaf %i: the reference nodes in the reference order', (size, index, proof) => {
    expect(hexes(inclusionProof(index, LEAVES.slice(0, size)))).toEqual(hexes(proof));
    expect(hexes(MerkleTree.from(LEAVES).inclusionProof(index, size))).toEqual(hexes(proof));
    expect(verifyInclusion({ index, treeSize: size, leafHash: LEAVES[index]!, proof, rootHash: ROOTS[size]! })).toBe(true);
  });

  it.each([[0, 0], [1, 0], [2, 1], [3, 0], [8, 7]])('refuses to make a proof for index %i in a tree of %i', (index, size) => {
    expect(() => inclusionProof(index, LEAVES.slice(0, size))).toThrow(RangeError);
  });

  it('rejects every corruption of every published proof', () => {
    const other = leafHash(Buffer.from('WrongLeaf'));
    for (const [index, size, hexProof] of INCLUSION_VECTORS) {
      const proof = hexProof.map(h);
      const root = ROOTS[size]!;
      const leaf = LEAVES[index]!;
      const probes: [string, Parameters<typeof verifyInclusion>[0]][] = [
        ['index - 1', { index: index - 1, treeSize: size, leafHash: leaf, proof, rootHash: root }],
        ['index + 1', { index: index + 1, treeSize: size, leafHash: leaf, proof, rootHash: root }],
        ['index ^ 2', { index: index ^ 2, treeSize: size, leafHash: leaf, proof, rootHash: root }],
        ['size * 2', { index, treeSize: size * 2, leafHash: leaf, proof, rootHash: root }],
        ['size / 2', { index, treeSize: Math.floor(size / 2), leafHash: leaf, proof, rootHash: root }],
        ['wrong leaf', { index, treeSize: size, leafHash: other, proof, rootHash: root }],
        ['empty root', { index, treeSize: size, leafHash: leaf, proof, rootHash: EMPTY_ROOT }],
        ['trailing root', { index, treeSize: size, leafHash: leaf, proof: [...proof, root], rootHash: root }],
        ['preceding root', { index, treeSize: size, leafHash: leaf, proof: [root, ...proof], rootHash: root }],
        ['short garbage', { index, treeSize: size, leafHash: leaf, proof: [...proof, Buffer.alloc(0)], rootHash: root }],
        ...(proof.length > 0
          ? [['removed component', { index, treeSize: size, leafHash: leaf, proof: proof.slice(0, -1), rootHash: root }] as [string, Parameters<typeof verifyInclusion>[0]]]
          : []),
        ...proof.map((_, at): [string, Parameters<typeof verifyInclusion>[0]] => [
          `bit flipped in proof[${at}]`,
          { index, treeSize: size, leafHash: leaf, proof: proof.map((x, y) => (y === at ? flipBit(x, 3) : x)), rootHash: root },
        ]),
      ];
      for (const [name, probe] of probes) expect([index, size, name, verifyInclusion(probe)]).toEqual([index, size, name, false]);
    }
  });

  it('verifies a single-leaf tree only with an empty proof and the leaf as root', () => {
    const leaf = leafHash(Buffer.from('data'));
    expect(verifyInclusion({ index: 0, treeSize: 1, leafHash: leaf, proof: [], rootHash: leaf })).toBe(true);
    expect(verifyInclusion({ index: 0, treeSize: 1, leafHash: leaf, proof: [leaf], rootHash: leaf })).toBe(false);
    expect(verifyInclusion({ index: 0, treeSize: 1, leafHash: Buffer.alloc(0), proof: [], rootHash: leaf })).toBe(false);
    expect(verifyInclusion({ index: 0, treeSize: 0, leafHash: EMPTY_ROOT, proof: [], rootHash: EMPTY_ROOT })).toBe(false);
    expect(verifyInclusion({ index: -1, treeSize: 1, leafHash: leaf, proof: [], rootHash: leaf })).toBe(false);
    expect(verifyInclusion({ index: 0.5, treeSize: 1, leafHash: leaf, proof: [], rootHash: leaf })).toBe(false);
  });
});

describe('consistency proofs against the CT reference vectors', () => {
  it.each(CONSISTENCY_VECTORS)('from %i to %i: generated as published, verifies', (first, second, proof) => {
    expect(hexes(consistencyProof(first, LEAVES.slice(0, second)))).toEqual(proof);
    expect(hexes(MerkleTree.from(LEAVES).consistencyProof(first, second))).toEqual(proof);
    expect(verifyConsistency({ first, second, firstRoot: ROOTS[first]!, secondRoot: ROOTS[second]!, proof: proof.map(h) })).toBe(true);
  });

  it.each(CONSISTENCY_STRUCTURE)('from %i to %i: the reference nodes in the reference order', (first, second, proof) => {
    expect(hexes(consistencyProof(first, LEAVES.slice(0, second)))).toEqual(hexes(proof));
    expect(hexes(MerkleTree.from(LEAVES).consistencyProof(first, second))).toEqual(hexes(proof));
    expect(verifyConsistency({ first, second, firstRoot: ROOTS[first]!, secondRoot: ROOTS[second]!, proof })).toBe(true);
  });

  it('refuses to prove consistency back in time', () => {
    expect(() => consistencyProof(5, LEAVES.slice(0, 0))).toThrow(RangeError);
    expect(() => consistencyProof(9, LEAVES)).toThrow(RangeError);
    expect(() => MerkleTree.from(LEAVES).consistencyProof(9, 8)).toThrow(RangeError);
  });

  it('rejects every corruption of every non-trivial published proof', () => {
    for (const [first, second, hexProof] of CONSISTENCY_VECTORS.filter(([, , proof]) => proof.length > 0)) {
      const proof = hexProof.map(h);
      const [r1, r2] = [ROOTS[first]!, ROOTS[second]!];
      const base = { first, second, firstRoot: r1, secondRoot: r2, proof };
      const probes: [string, Parameters<typeof verifyConsistency>[0]][] = [
        ['first - 1', { ...base, first: first - 1 }],
        ['first + 1', { ...base, first: first + 1 }],
        ['first ^ 2', { ...base, first: first ^ 2 }],
        ['second * 2', { ...base, second: second * 2 }],
        ['second / 2', { ...base, second: Math.floor(second / 2) }],
        ['wrong first root', { ...base, firstRoot: leafHash(Buffer.from('WrongRoot')) }],
        ['wrong second root', { ...base, secondRoot: leafHash(Buffer.from('WrongRoot')) }],
        ['swapped roots', { ...base, firstRoot: r2, secondRoot: r1 }],
        ['empty proof', { ...base, proof: [] }],
        ['trailing first root', { ...base, proof: [...proof, r1] }],
        ['trailing second root', { ...base, proof: [...proof, r2] }],
        ['preceding first root', { ...base, proof: [r1, ...proof] }],
        ['preceding second root', { ...base, proof: [r2, ...proof] }],
        ['preceding proof[0]', { ...base, proof: [proof[0]!, ...proof] }],
        ['truncated', { ...base, proof: proof.slice(0, -1) }],
        ...proof.map((_, at): [string, Parameters<typeof verifyConsistency>[0]] => [
          `bit flipped in proof[${at}]`,
          { ...base, proof: proof.map((x, y) => (y === at ? flipBit(x, 4) : x)) },
        ]),
      ];
      for (const [name, probe] of probes) expect([first, second, name, verifyConsistency(probe)]).toEqual([first, second, name, false]);
    }
  });

  it('decides the trivial cases from the definitions', () => {
    const root1 = ROOTS[1]!;
    const root2 = ROOTS[2]!;
    const empty = EMPTY_ROOT;
    const cases: [number, number, Buffer, Buffer, Buffer[], boolean][] = [
      [0, 0, empty, empty, [], true],
      [0, 1, empty, root1, [], true],
      [0, 8, empty, ROOTS[8]!, [], true],
      [1, 1, root1, root1, [], true],
      [0, 0, empty, root1, [], false], // same size, different roots
      [1, 1, root1, root2, [], false],
      [0, 1, root1, root1, [], false], // the empty tree has one root
      [0, 1, empty, root1, [empty], false], // trivial cases take an empty proof
      [1, 1, root1, root1, [empty], false],
      [1, 0, root1, empty, [], false], // back in time
      [2, 1, root2, root1, [], false],
      [1, 2, root1, root2, [], false], // a real proof is needed
    ];
    for (const [first, second, firstRoot, secondRoot, proof, expected] of cases) {
      expect([first, second, verifyConsistency({ first, second, firstRoot, secondRoot, proof })]).toEqual([first, second, expected]);
    }
  });
});

function flipBit(hash: Buffer, bit: number): Buffer {
  const copy = Buffer.from(hash);
  copy[0]! ^= 1 << bit;
  return copy;
}
