import { generateKeyPairSync } from 'node:crypto';
import { type AuditRecord, keyIdOf, MerkleTree, payloadDigest, publicKeyBase64, recordLeafHash, type SignedTreeHead, signTreeHead } from '../transparency-log';
import type { StoredRecord } from './audit-record-store';
import type { KnownPublicKey } from './audit-signing-keys';
import { verifyLog, type VerificationSources } from './log-verification';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const keys = new Map<string, KnownPublicKey>([[keyIdOf(publicKey), { keyId: keyIdOf(publicKey), publicKey, publicKeyBase64: publicKeyBase64(publicKey) }]]);

function record(seq: number): AuditRecord {
  const payload = { tokenId: `t${seq}`, note: 'x'.repeat(seq % 7) };
  return {
    seq,
    eventId: `event-${seq}`,
    type: 'TokenRevoked',
    streamId: `token-${seq}`,
    actor: { kind: 'token', id: 'ci-bot' },
    occurredAt: '2025-01-01T00:00:00.000Z',
    subject: null,
    summary: `token ci-bot revoked token t${seq}`,
    payloadDigest: payloadDigest(payload),
    payload,
  };
}

/** An honest log of `size` records with heads signed at `headSizes`, as the stores would return it. */
function log(size: number, headSizes: number[]) {
  const stored: StoredRecord[] = Array.from({ length: size }, (_, i) => {
    const r = record(i + 1);
    return { record: r, leafHash: recordLeafHash(r) };
  });
  const tree = MerkleTree.from(stored.map((s) => s.leafHash));
  const heads: SignedTreeHead[] = headSizes.map((n) => signTreeHead({ treeSize: n, rootHash: tree.rootHash(n), timestamp: new Date(Date.UTC(2025, 0, 1, 0, 0, n)) }, privateKey));
  return { stored, heads };
}

function sources(stored: StoredRecord[], heads: SignedTreeHead[], batchSize = 4): VerificationSources {
  return {
    records: {
      size: async () => (stored.length === 0 ? 0 : stored[stored.length - 1]!.record.seq),
      range: async (after, upTo, limit) => stored.filter((s) => s.record.seq > after && s.record.seq <= upTo).slice(0, limit),
    },
    heads: { after: async (after, limit) => heads.filter((h) => h.treeSize > after).slice(0, limit) },
    publicKeys: keys,
    batchSize,
  };
}

describe('verifyLog', () => {
  it('accepts an honest log, checking every head, across batch boundaries', async () => {
    const { stored, heads } = log(23, [1, 4, 8, 13, 23]);
    expect(await verifyLog(sources(stored, heads))).toEqual({ ok: true, treeSize: 23, headsChecked: 5 });
    expect(await verifyLog(sources(stored, heads, 1000))).toEqual({ ok: true, treeSize: 23, headsChecked: 5 });
  });

  it('accepts an empty log', async () => {
    expect(await verifyLog(sources([], []))).toEqual({ ok: true, treeSize: 0, headsChecked: 0 });
  });

  it('names a record whose fields no longer give its leaf hash', async () => {
    const { stored, heads } = log(10, [5, 10]);
    stored[6]!.record.summary = 'nothing happened';
    expect(await verifyLog(sources(stored, heads))).toEqual({
      ok: false,
      treeSize: 10,
      headsChecked: 1,
      firstMismatch: { seq: 7, reason: "the record's fields do not give its stored leaf hash (the record or the hash was changed)" },
    });
  });

  it('names a record whose payload no longer matches its digest', async () => {
    const { stored, heads } = log(10, [10]);
    stored[2]!.record.payload = { tokenId: 'someone else' };
    expect((await verifyLog(sources(stored, heads))).firstMismatch).toEqual({ seq: 3, reason: 'the payload does not match its payloadDigest' });
  });

  it('catches a record rewritten with a matching leaf hash at the next signed head', async () => {
    const { stored, heads } = log(10, [4, 8, 10]);
    const forged = { ...stored[5]!.record, summary: 'forged' };
    stored[5] = { record: forged, leafHash: recordLeafHash(forged) };
    expect((await verifyLog(sources(stored, heads))).firstMismatch).toEqual({ seq: 8, reason: expect.stringMatching(/^signed tree head of size 8 has root [0-9a-f]{64}, but the stored records give [0-9a-f]{64}$/) });
  });

  it('names a gap where a record was removed', async () => {
    const { stored, heads } = log(10, []);
    stored.splice(4, 1);
    expect((await verifyLog(sources(stored, heads))).firstMismatch).toEqual({ seq: 5, reason: 'record 5 is missing (the next stored record is 6)' });
  });

  it('notices a head larger than the log (its tail removed)', async () => {
    const { stored, heads } = log(10, [5, 10]);
    expect(await verifyLog(sources(stored.slice(0, 7), heads))).toEqual({
      ok: false,
      treeSize: 7,
      headsChecked: 1,
      firstMismatch: { seq: 10, reason: 'a signed tree head covers 10 records, but the log holds only 7 (records were removed)' },
    });
  });

  it('refuses a head with a bad signature or by an unknown key', async () => {
    const { stored, heads } = log(6, [3, 6]);
    const altered = [heads[0]!, { ...heads[1]!, timestamp: '2030-01-01T00:00:00.000Z' }];
    expect((await verifyLog(sources(stored, altered))).firstMismatch).toEqual({ seq: 6, reason: 'signed tree head of size 6 does not verify: the signature does not match the head (forged or altered)' });
    const foreign = [heads[0]!, signTreeHead({ treeSize: 6, rootHash: heads[1]!.rootHash, timestamp: heads[1]!.timestamp }, other.privateKey)];
    expect((await verifyLog(sources(stored, foreign))).firstMismatch).toEqual({ seq: 6, reason: `signed tree head of size 6 names key ${keyIdOf(other.publicKey)}, which this log never used` });
  });
});
