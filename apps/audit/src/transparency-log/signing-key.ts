import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * Ed25519 keys for signed tree heads: loading them from what an operator or auditor has at hand
 * (a hex seed, PEM, a base64 public key) and naming them (keyId).
 */

/**
 * PKCS#8 DER prefix of an Ed25519 private key (RFC 8410 §7); a 32-byte seed appended to it is a
 * complete key, which is how Node accepts a raw seed. libs/auth does the same for JWT keys.
 */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** SubjectPublicKeyInfo DER prefix of an Ed25519 public key (RFC 8410 §4): prefix + 32 raw bytes. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const RAW_KEY_BYTES = 32;
const HEX_SEED_PATTERN = /^[0-9a-fA-F]{64}$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** A private key from a 32-byte seed in hex (`openssl rand -hex 32` makes one). */
export function ed25519PrivateKeyFromSeed(seedHex: string): KeyObject {
  if (!HEX_SEED_PATTERN.test(seedHex)) {
    throw new TypeError('an Ed25519 seed is 32 bytes written as 64 hex characters');
  }
  return createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(seedHex, 'hex')]),
    format: 'der',
    type: 'pkcs8',
  });
}

/** A private key from a hex seed or a PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"). */
export function loadEd25519PrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (HEX_SEED_PATTERN.test(trimmed)) return ed25519PrivateKeyFromSeed(trimmed);
  if (!trimmed.startsWith('-----BEGIN')) {
    throw new TypeError('an Ed25519 private key must be a 64-hex-character seed or a PKCS#8 PEM');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: trimmed, format: 'pem' });
  } catch (error) {
    throw new TypeError(`not a readable private key PEM: ${(error as Error).message}`);
  }
  return assertEd25519(key, 'private');
}

/**
 * A public key from any of: an SPKI PEM ("-----BEGIN PUBLIC KEY-----"), base64 or base64url of
 * the raw 32 bytes (what publicKeyBase64 prints) or of the SPKI DER, or the raw 32 bytes in hex.
 */
export function loadEd25519PublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) {
    let key: KeyObject;
    try {
      key = createPublicKey({ key: trimmed, format: 'pem' });
    } catch (error) {
      throw new TypeError(`not a readable public key PEM: ${(error as Error).message}`);
    }
    return assertEd25519(key, 'public');
  }
  const bytes = HEX_SEED_PATTERN.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : BASE64_PATTERN.test(trimmed)
      ? Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
      : null;
  if (bytes?.length === RAW_KEY_BYTES) return publicKeyFromRaw(bytes);
  if (bytes?.length === ED25519_SPKI_PREFIX.length + RAW_KEY_BYTES && bytes.subarray(0, ED25519_SPKI_PREFIX.length).equals(ED25519_SPKI_PREFIX)) {
    return publicKeyFromRaw(bytes.subarray(ED25519_SPKI_PREFIX.length));
  }
  throw new TypeError(
    'an Ed25519 public key must be a PEM, or base64 of the 32-byte key or of its SubjectPublicKeyInfo, or 64 hex characters',
  );
}

/** The public half of a key (a public key is returned as is). */
export function publicKeyOf(key: KeyObject): KeyObject {
  return assertEd25519(key.type === 'private' ? createPublicKey(key) : key, 'public');
}

/** The raw 32-byte Ed25519 public key (RFC 8032 §5.1.5 encoding). */
export function rawPublicKey(key: KeyObject): Buffer {
  const spki = publicKeyOf(key).export({ format: 'der', type: 'spki' });
  return Buffer.from(spki.subarray(spki.length - RAW_KEY_BYTES));
}

export function publicKeyPem(key: KeyObject): string {
  return publicKeyOf(key).export({ format: 'pem', type: 'spki' }).toString();
}

/** Standard base64 of the raw 32-byte public key: what an auditor passes to --public-key. */
export function publicKeyBase64(key: KeyObject): string {
  return rawPublicKey(key).toString('base64');
}

/** SignedTreeHead.keyId: base64url SHA-256 of the raw 32-byte public key. Accepts either half. */
export function keyIdOf(key: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(key)).digest('base64url');
}

function publicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

function assertEd25519(key: KeyObject, type: 'private' | 'public'): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519' || key.type !== type) {
    throw new TypeError(`expected an Ed25519 ${type} key, got a ${key.asymmetricKeyType ?? 'symmetric'} ${key.type} key`);
  }
  return key;
}
