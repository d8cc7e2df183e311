import { generateKeyPairSync } from 'node:crypto';
import type { SignedTreeHead } from './log-format';
import {
  ed25519PrivateKeyFromSeed,
  keyIdOf,
  loadEd25519PrivateKey,
  loadEd25519PublicKey,
  publicKeyBase64,
  publicKeyOf,
  publicKeyPem,
  rawPublicKey,
} from './signing-key';
import { signTreeHead, treeHeadProblem, treeHeadSigningInput, verifyTreeHead } from './tree-head';

// RFC 8032 §7.1 TEST 1: secret key (seed) and the public key it must give.
const RFC8032_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const privateKey = ed25519PrivateKeyFromSeed(RFC8032_SEED);
const publicKey = publicKeyOf(privateKey);

// The root of the 8-leaf CT reference tree (see merkle.spec.ts).
const HEAD = { treeSize: 8, rootHash: '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328', timestamp: '2025-01-02T03:04:05.678Z' };

describe('Ed25519 keys for tree heads', () => {
  it('derives the RFC 8032 public key from its seed, and names it by SHA-256 of the raw key', () => {
    expect(rawPublicKey(privateKey).toString('hex')).toBe(RFC8032_PUBLIC);
    // printf '<public hex>' | xxd -r -p | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '='
    expect(keyIdOf(publicKey)).toBe('If4x36FUomFia_hUBG_SJxt77UtqvkWqWId-9H-XIbk');
    expect(keyIdOf(privateKey)).toBe(keyIdOf(publicKey));
  });

  it('loads a private key from a hex seed or a PKCS#8 PEM', () => {
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(rawPublicKey(loadEd25519PrivateKey(`  ${RFC8032_SEED.toUpperCase()}\n`)).toString('hex')).toBe(RFC8032_PUBLIC);
    expect(rawPublicKey(loadEd25519PrivateKey(pem)).toString('hex')).toBe(RFC8032_PUBLIC);
    expect(() => loadEd25519PrivateKey('abc')).toThrow('64-hex-character seed or a PKCS#8 PEM');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => loadEd25519PrivateKey(rsa)).toThrow('expected an Ed25519 private key, got a rsa private key');
  });

  it('loads a public key from PEM, base64 or base64url (raw or SPKI) and hex, and exports it the same ways', () => {
    const spkiDer = publicKey.export({ format: 'der', type: 'spki' });
    const inputs = [
      publicKeyPem(publicKey),
      publicKeyBase64(publicKey),
      rawPublicKey(publicKey).toString('base64url'),
      spkiDer.toString('base64'),
      RFC8032_PUBLIC,
    ];
    for (const input of inputs) expect(rawPublicKey(loadEd25519PublicKey(input)).toString('hex')).toBe(RFC8032_PUBLIC);
    expect(publicKeyPem(publicKey)).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(publicKeyBase64(publicKey)).toBe(Buffer.from(RFC8032_PUBLIC, 'hex').toString('base64'));
  });

  it('refuses what is not an Ed25519 public key', () => {
    expect(() => loadEd25519PublicKey('not a key!')).toThrow('an Ed25519 public key must be');
    expect(() => loadEd25519PublicKey(Buffer.alloc(31).toString('base64'))).toThrow('an Ed25519 public key must be');
    const x25519 = generateKeyPairSync('x25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(() => loadEd25519PublicKey(x25519)).toThrow('expected an Ed25519 public key, got a x25519 public key');
  });
});

describe('signed tree heads', () => {
  it('sign the documented bytes: domain tag, newline, canonical JSON of the three fields', () => {
    expect(treeHeadSigningInput(HEAD).toString('utf8')).toBe(
      'toolport-audit-sth-v1\n{"rootHash":"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328","timestamp":"2025-01-02T03:04:05.678Z","treeSize":8}',
    );
  });

  it('produce the signature OpenSSL makes over those bytes with the RFC 8032 key', () => {
    // printf 'toolport-audit-sth-v1\n{...}' > msg; openssl pkeyutl -sign -rawin -inkey rfc8032-1.pem -in msg | base64
    const signed = signTreeHead(HEAD, privateKey);
    expect(signed).toEqual({
      ...HEAD,
      signature: 'HsBkrS3l0YXZLdslfhPtGR8/WT9T46mzPQRnwTybBZEQi2TutJ2irorHK8enF5C0KdmJzE9mcbujsCE7b/tTDQ==',
      keyId: 'If4x36FUomFia_hUBG_SJxt77UtqvkWqWId-9H-XIbk',
    });
    expect(verifyTreeHead(signed, publicKey)).toBe(true);
  });

  it('accept a Buffer root and a Date, written canonically', () => {
    const signed = signTreeHead({ treeSize: 8, rootHash: Buffer.from(HEAD.rootHash, 'hex'), timestamp: new Date(HEAD.timestamp) }, privateKey);
    expect(signed).toEqual(signTreeHead(HEAD, privateKey));
  });

  it('fail verification when any signed field, the signature or the key changes', () => {
    const signed = signTreeHead(HEAD, privateKey);
    const other = generateKeyPairSync('ed25519');
    const flippedSignature = Buffer.from(signed.signature, 'base64');
    flippedSignature[10]! ^= 1;
    const forgeries: [string, SignedTreeHead, string][] = [
      ['treeSize', { ...signed, treeSize: 9 }, 'does not match'],
      ['rootHash', { ...signed, rootHash: `${HEAD.rootHash.slice(0, -1)}9` }, 'does not match'],
      ['timestamp', { ...signed, timestamp: '2025-01-02T03:04:05.679Z' }, 'does not match'],
      ['signature bit', { ...signed, signature: flippedSignature.toString('base64') }, 'does not match'],
      ['short signature', { ...signed, signature: 'AAAA' }, 'signature is 3 bytes'],
      ['non-base64 signature', { ...signed, signature: '%%%' }, 'not base64'],
      ['another key, its own keyId', { ...signTreeHead(HEAD, other.privateKey) }, 'not by the given key'],
      ['another key, our keyId', { ...signTreeHead(HEAD, other.privateKey), keyId: signed.keyId }, 'does not match'],
      ['uppercase hex', { ...signed, rootHash: HEAD.rootHash.toUpperCase() }, 'rootHash is not 64 lowercase hex'],
      ['impossible date', { ...signed, timestamp: '2025-02-30T00:00:00.000Z' }, 'not ISO-8601'],
      ['negative size', { ...signed, treeSize: -1 }, 'treeSize -1'],
    ];
    for (const [name, head, problem] of forgeries) {
      expect([name, verifyTreeHead(head, publicKey)]).toEqual([name, false]);
      expect([name, treeHeadProblem(head, publicKey)]).toEqual([name, expect.stringContaining(problem)]);
    }
    expect(treeHeadProblem(null as unknown as SignedTreeHead, publicKey)).toBe('not a signed tree head object');
  });

  it('refuse to sign a malformed head or with a public key', () => {
    expect(() => signTreeHead({ ...HEAD, treeSize: 1.5 }, privateKey)).toThrow('treeSize 1.5');
    expect(() => signTreeHead({ ...HEAD, timestamp: '2025-01-02T03:04:05Z' }, privateKey)).toThrow('not ISO-8601 UTC with milliseconds');
    expect(() => signTreeHead(HEAD, publicKey)).toThrow('Ed25519 private key');
  });

  it('sign the empty tree', () => {
    const empty = signTreeHead({ treeSize: 0, rootHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', timestamp: HEAD.timestamp }, privateKey);
    expect(verifyTreeHead(empty, loadEd25519PublicKey(publicKeyBase64(publicKey)))).toBe(true);
  });
});
