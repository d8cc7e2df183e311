import { randomBytes, type KeyObject } from 'node:crypto';
import type { Pool } from 'pg';
import { ed25519PrivateKeyFromSeed, keyIdOf, loadEd25519PublicKey, publicKeyBase64, rawPublicKey } from '../transparency-log';
import { withAuditWriter } from './audit-writer-role';

/** The key the service signs heads with now. */
export interface HeadSigningKey {
  privateKey: KeyObject;
  keyId: string;
  /** Standard base64 of the raw public key: what an auditor passes to the verifier's --public-key. */
  publicKeyBase64: string;
  /** Whether it came from TOOLPORT_AUDIT_SIGNING_KEY (else generated and kept in the audit schema). */
  configured: boolean;
}

export interface KnownPublicKey {
  keyId: string;
  publicKeyBase64: string;
  publicKey: KeyObject;
}

/**
 * The signing key: the configured seed, or the one generated on first start and kept in
 * `signing_keys`. Either way its public key is recorded there, so `verify` can still check heads
 * signed before a key change. Several replicas starting at once agree on one generated key (a
 * unique index allows a single generated row; the losers read the winner's).
 *
 * A generated key sits in the database next to the log it protects, so an administrator who can
 * rewrite records could also re-sign heads; the heads already copied elsewhere (the audit stream,
 * auditors' verifiers) still expose that. Production should configure the seed from a secret store.
 */
export async function loadHeadSigningKey(pool: Pool, schema: string, configuredSeedHex: string | null): Promise<HeadSigningKey> {
  return withAuditWriter(pool, schema, async (tx) => {
    let privateKey: KeyObject;
    if (configuredSeedHex !== null) {
      privateKey = ed25519PrivateKeyFromSeed(configuredSeedHex);
      await tx.query(`INSERT INTO ${schema}.signing_keys (key_id, public_key) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [keyIdOf(privateKey), rawPublicKey(privateKey)]);
    } else {
      const seed = randomBytes(32);
      const candidate = ed25519PrivateKeyFromSeed(seed.toString('hex'));
      await tx.query(`INSERT INTO ${schema}.signing_keys (key_id, public_key, private_seed) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        keyIdOf(candidate),
        rawPublicKey(candidate),
        seed,
      ]);
      const { rows } = await tx.query<{ private_seed: Buffer }>(`SELECT private_seed FROM ${schema}.signing_keys WHERE private_seed IS NOT NULL`);
      privateKey = ed25519PrivateKeyFromSeed(rows[0]!.private_seed.toString('hex'));
    }
    return { privateKey, keyId: keyIdOf(privateKey), publicKeyBase64: publicKeyBase64(privateKey), configured: configuredSeedHex !== null };
  });
}

/** Every public key that ever signed a head here, by keyId. */
export async function knownPublicKeys(pool: Pool, schema: string): Promise<Map<string, KnownPublicKey>> {
  const rows = await withAuditWriter(pool, schema, async (tx) => (await tx.query<{ key_id: string; public_key: Buffer }>(`SELECT key_id, public_key FROM ${schema}.signing_keys ORDER BY recorded_at, key_id`)).rows);
  return new Map(
    rows.map((row) => {
      const publicKey = loadEd25519PublicKey(row.public_key.toString('hex'));
      return [row.key_id, { keyId: row.key_id, publicKeyBase64: row.public_key.toString('base64'), publicKey }];
    }),
  );
}
