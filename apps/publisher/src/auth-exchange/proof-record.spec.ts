import { ed25519Signer, p384Signer } from './__fixtures__/proof-keys';
import { fingerprint, mentionsProofRecord, parseProofKey, parseProofRecords } from './proof-record';

describe('parseProofRecords', () => {
  it('finds Ed25519 and compressed P-384 keys, with or without spaces after the semicolons', () => {
    const ed = ed25519Signer();
    const ec = p384Signer();
    const parsed = parseProofRecords([ed.record, 'v=spf1 -all', ec.record.replace(/; /g, ';'), 'google-site-verification=x']);
    expect(parsed).toHaveLength(2);
    expect(parsed.map((p) => ('key' in p ? p.key.algorithm : p.error))).toEqual(['ed25519', 'ecdsap384']);
  });

  it('says why a record that looks like a proof record cannot be used', () => {
    const ed = ed25519Signer();
    const p = ed.record.split('p=')[1]!;
    expect(parseProofRecords([`v=MCPv1; k=rsa; p=${p}`])).toEqual([{ error: 'unsupported key algorithm k=rsa (supported: ed25519, ecdsap384)' }]);
    expect(parseProofRecords([`v=MCPv1; k=ed25519; p=${p.slice(0, -4)}`])).toEqual([
      { error: 'an Ed25519 public key has 32 bytes, the published one has 30' },
    ]);
    expect(parseProofRecords(['v=MCPv1; k=ed25519; p=AAAA=AAA'])).toEqual([{ error: expect.stringContaining('not valid base64') }]);
    expect(parseProofRecords([`v=MCPv1; k=ed25519; p=${p.replace(/=+$/, '')}`])).toEqual([{ error: expect.stringContaining('not valid base64') }]);
  });

  it('insists on the 49-byte compressed P-384 point that lies on the curve', () => {
    const ec = p384Signer();
    const raw = Buffer.from(ec.record.split('p=')[1]!, 'base64');
    const uncompressed = Buffer.concat([Buffer.from([0x04]), raw.subarray(1), Buffer.alloc(48)]);
    expect(parseProofKey('ecdsap384', uncompressed.toString('base64'))).toEqual({ error: expect.stringContaining('49-byte compressed point') });
    const offCurve = Buffer.concat([Buffer.from([0x02]), Buffer.alloc(48, 0xff)]);
    expect(parseProofKey('ecdsap384', offCurve.toString('base64'))).toEqual({ error: 'the published ecdsap384 public key is not a valid key' });
  });

  it('fingerprints keys by algorithm and the first 8 base64 characters', () => {
    const ed = ed25519Signer();
    const parsed = parseProofRecords([ed.record])[0]!;
    if (!('key' in parsed)) throw new Error(parsed.error);
    expect(fingerprint(parsed.key)).toBe(`ed25519:${ed.record.split('p=')[1]!.slice(0, 8)}`);
  });

  it('recognises a record that mentions MCPv1 (for the misplaced-record hint)', () => {
    expect(mentionsProofRecord('v=MCPv1; k=ed25519; p=broken')).toBe(true);
    expect(mentionsProofRecord('v=spf1 include:_spf.google.com ~all')).toBe(false);
  });
});
