import { ECDH, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** A signing key as `mcp-publisher` holds it, with the proof record it prints for the domain. */
export interface ProofSigner {
  algorithm: 'ed25519' | 'ecdsap384';
  /** `v=MCPv1; k=…; p=…` for the TXT record or the well-known file. */
  record: string;
  /** Hex signature of exactly `message`, as `signed_timestamp`. */
  sign(message: string): string;
}

export function ed25519Signer(): ProofSigner {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return {
    algorithm: 'ed25519',
    record: `v=MCPv1; k=ed25519; p=${raw.toString('base64')}`,
    sign: (message) => sign(null, Buffer.from(message), privateKey).toString('hex'),
  };
}

/** ECDSA P-384: the compressed public point in the record, R ‖ S over SHA-384 as the signature. */
export function p384Signer(): ProofSigner {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  return {
    algorithm: 'ecdsap384',
    record: `v=MCPv1; k=ecdsap384; p=${compressedP384(publicKey).toString('base64')}`,
    sign: (message) => sign('sha384', Buffer.from(message), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('hex'),
  };
}

function compressedP384(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  const uncompressed = Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  return ECDH.convertKey(uncompressed, 'secp384r1', undefined, undefined, 'compressed') as Buffer;
}

/** RFC 3339 in whole seconds, as `mcp-publisher` formats it (`time.RFC3339`). */
export const rfc3339 = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
