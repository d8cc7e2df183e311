import { sign, verify } from 'node:crypto';
import { generateSeedHex, signingKeyFromSeed } from './signing-keys';

describe('signingKeyFromSeed', () => {
  // RFC 8032 §7.1, TEST 1: the seed and the public key it must produce.
  const RFC8032_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
  const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
  const RFC8032_SIGNATURE_OF_EMPTY =
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

  it('derives the RFC 8032 test vector key from its hex seed (the MCP_REGISTRY_JWT_PRIVATE_KEY format)', async () => {
    const key = await signingKeyFromSeed(RFC8032_SEED);
    expect(Buffer.from(key.publicJwk.x!, 'base64url').toString('hex')).toBe(RFC8032_PUBLIC);
    expect(sign(null, Buffer.alloc(0), key.privateKey).toString('hex')).toBe(RFC8032_SIGNATURE_OF_EMPTY);
    expect(key.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: key.kid });
    expect(key.publicJwk).not.toHaveProperty('d');
    expect(key.source).toBe('config');
  });

  it('gives the same kid for the same seed and a different one for another seed', async () => {
    const a = await signingKeyFromSeed(RFC8032_SEED);
    const b = await signingKeyFromSeed(RFC8032_SEED.toUpperCase());
    const c = await signingKeyFromSeed(generateSeedHex());
    expect(a.kid).toBe(b.kid);
    expect(c.kid).not.toBe(a.kid);
    expect(verify(null, Buffer.from('x'), c.publicKey, sign(null, Buffer.from('x'), c.privateKey))).toBe(true);
  });

  it.each(['', 'abc', RFC8032_SEED.slice(2), `${RFC8032_SEED}00`, 'g'.repeat(64)])('refuses the seed %j', async (seed) => {
    await expect(signingKeyFromSeed(seed)).rejects.toThrow(/32 bytes written as 64 hex characters/);
  });
});
