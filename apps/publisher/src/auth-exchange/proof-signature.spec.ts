import { ed25519Signer, p384Signer, rfc3339 } from './__fixtures__/proof-keys';
import { parseProofRecords, type ProofKey } from './proof-record';
import { checkTimestamp, decodeSignature, parseTimestamp, verifyWithAnyKey } from './proof-signature';

const keyOf = (record: string): ProofKey => {
  const parsed = parseProofRecords([record])[0]!;
  if (!('key' in parsed)) throw new Error(parsed.error);
  return parsed.key;
};

describe('timestamps', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it('parses RFC 3339 date-times with zone and optional fraction', () => {
    expect(parseTimestamp('2026-03-01T12:00:00Z')).toEqual({ ok: true, value: now });
    expect(parseTimestamp('2026-03-01T13:00:00.5+01:00')).toEqual({ ok: true, value: new Date('2026-03-01T12:00:00.500Z') });
  });

  it.each(['2026-03-01 12:00:00Z', '2026-03-01T12:00:00', '1772366400', '2026-02-30T12:00:00Z', '2026-03-01T25:00:00Z', 'soon'])(
    'refuses %j',
    (timestamp) => {
      expect(parseTimestamp(timestamp)).toEqual({ ok: false, reason: expect.stringContaining('is not an RFC 3339 date-time') });
    },
  );

  it('accepts ±15 s around the clock and refuses more, saying by how much', () => {
    expect(checkTimestamp('2026-03-01T12:00:15Z', now).ok).toBe(true);
    expect(checkTimestamp('2026-03-01T11:59:45Z', now).ok).toBe(true);
    expect(checkTimestamp('2026-03-01T11:59:44Z', now)).toEqual({
      ok: false,
      reason: expect.stringContaining("is 16 s behind the registry's clock (2026-03-01T12:00:00.000Z)"),
    });
    expect(checkTimestamp('2026-03-01T12:01:00Z', now)).toEqual({ ok: false, reason: expect.stringContaining('60 s ahead of') });
  });
});

describe('decodeSignature', () => {
  it('accepts hex in either case and refuses anything else', () => {
    expect(decodeSignature('00ffAB')).toEqual({ ok: true, value: Buffer.from([0, 255, 171]) });
    for (const bad of ['', 'abc', 'zz', 'q0', '0x00']) expect(decodeSignature(bad).ok).toBe(false);
  });
});

describe('verifyWithAnyKey', () => {
  const timestamp = rfc3339(new Date());

  it('verifies Ed25519 and P-384 signatures of the exact timestamp string', () => {
    for (const signer of [ed25519Signer(), p384Signer()]) {
      const signature = Buffer.from(signer.sign(timestamp), 'hex');
      expect(verifyWithAnyKey([keyOf(signer.record)], timestamp, signature)).toBeNull();
      // One character more is another message.
      expect(verifyWithAnyKey([keyOf(signer.record)], `${timestamp} `, signature)).toMatch(/does not match the published key/);
    }
  });

  it('is satisfied by any one of several keys (rotation), and names every key tried when none matches', () => {
    const [oldKey, newKey, stranger] = [ed25519Signer(), ed25519Signer(), ed25519Signer()];
    const keys = [keyOf(oldKey.record), keyOf(newKey.record)];
    expect(verifyWithAnyKey(keys, timestamp, Buffer.from(newKey.sign(timestamp), 'hex'))).toBeNull();
    expect(verifyWithAnyKey(keys, timestamp, Buffer.from(oldKey.sign(timestamp), 'hex'))).toBeNull();
    const reason = verifyWithAnyKey(keys, timestamp, Buffer.from(stranger.sign(timestamp), 'hex'));
    expect(reason).toMatch(/matches none of the 2 published keys \(ed25519:.{8}, ed25519:.{8}\)/);
  });

  it('with Ed25519 and P-384 records, a 64-byte signature is judged against the Ed25519 key only', () => {
    const [ed, ec, stranger] = [ed25519Signer(), p384Signer(), ed25519Signer()];
    const keys = [keyOf(ed.record), keyOf(ec.record)];
    expect(verifyWithAnyKey(keys, timestamp, Buffer.from(ec.sign(timestamp), 'hex'))).toBeNull();
    expect(verifyWithAnyKey(keys, timestamp, Buffer.from(ed.sign(timestamp), 'hex'))).toBeNull();
    expect(verifyWithAnyKey(keys, timestamp, Buffer.from(stranger.sign(timestamp), 'hex'))).toMatch(
      /^the signature does not match the published key ed25519:.{8}; /,
    );
  });

  it('reports a signature of the wrong size for the key type rather than a mismatch', () => {
    const ed = ed25519Signer();
    expect(verifyWithAnyKey([keyOf(ed.record)], timestamp, Buffer.alloc(96))).toBe('an Ed25519 signature has 64 bytes, this one has 96');
    const ec = p384Signer();
    expect(verifyWithAnyKey([keyOf(ec.record)], timestamp, Buffer.from(ed.sign(timestamp), 'hex'))).toBe(
      'an ECDSA P-384 signature has 96 bytes (R ‖ S), this one has 64',
    );
  });
});
