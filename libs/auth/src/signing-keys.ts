import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { Pool } from 'pg';
import { assertSchemaName, type Migration } from '@toolport/event-store';

/** The Ed25519 key that signs (private) and verifies (public) every token of an instance. */
export interface SigningKey {
  /** RFC 7638 thumbprint of the public JWK, sent as the JWT header `kid`. */
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JWK;
  /** `config`: from the operator's hex seed; `stored`: read from Postgres; `generated`: created by this call. */
  source: 'config' | 'stored' | 'generated';
}

/**
 * PKCS#8 DER prefix of an Ed25519 private key (RFC 8410 §7): a 32-byte seed appended to it is a
 * complete key, which is how Node accepts a raw seed (it has no `fromSeed`).
 */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SEED_HEX_PATTERN = /^[0-9a-fA-F]{64}$/;

/**
 * A key from a hex seed, the format of the official registry's `MCP_REGISTRY_JWT_PRIVATE_KEY`
 * (Go's `ed25519.NewKeyFromSeed`), so a key moved from there keeps working.
 */
export async function signingKeyFromSeed(
  seedHex: string,
  source: SigningKey['source'] = 'config',
): Promise<SigningKey> {
  if (!SEED_HEX_PATTERN.test(seedHex)) {
    throw new Error(
      'The JWT signing key must be an Ed25519 seed of 32 bytes written as 64 hex characters ' +
        '(the MCP_REGISTRY_JWT_PRIVATE_KEY format; `openssl rand -hex 32` makes one)',
    );
  }
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(seedHex, 'hex')]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const exported = publicKey.export({ format: 'jwk' });
  const publicJwk: JWK = { kty: 'OKP', crv: 'Ed25519', x: exported.x };
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  return { kid, privateKey, publicKey, publicJwk: { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' }, source };
}

export function generateSeedHex(): string {
  return randomBytes(32).toString('hex');
}

/**
 * The auth schema (`<instance>_auth`) is shared by all services of an instance. `slot` is
 * `'current'` for the key that signs; its unique index is what makes first-start generation
 * race-safe (every process inserts, one wins, all read the winner back). Keys retired by a
 * future rotation keep their row with `slot` NULL, which the unique index allows many times.
 */
export const authMigrations: Migration[] = [
  {
    id: 'auth/0001-signing-keys',
    up: (schema) => `
      CREATE TABLE ${schema}.signing_keys (
        kid text PRIMARY KEY,
        slot text UNIQUE,
        private_seed text NOT NULL,
        public_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );`,
  },
];

export interface LoadSigningKeyOptions {
  pool: Pool;
  /** The auth schema, `<instance>_auth`, migrated with `authMigrations`. */
  schema: string;
  /** An operator-provided seed; when given, Postgres is not touched. */
  seedHex?: string;
}

/**
 * The instance's signing key: the configured seed, else the key stored in Postgres, else a new
 * one stored there. Processes starting together may all generate one: `ON CONFLICT DO NOTHING`
 * keeps the first committed and everyone returns that one.
 */
export async function loadSigningKey(options: LoadSigningKeyOptions): Promise<SigningKey> {
  if (options.seedHex !== undefined) return signingKeyFromSeed(options.seedHex, 'config');
  const table = `${assertSchemaName(options.schema)}.signing_keys`;
  const existing = await readCurrent(options.pool, table);
  if (existing) return existing;

  const seed = generateSeedHex();
  const candidate = await signingKeyFromSeed(seed, 'generated');
  const inserted = await options.pool.query(
    `INSERT INTO ${table} (kid, slot, private_seed, public_jwk) VALUES ($1, 'current', $2, $3) ON CONFLICT DO NOTHING`,
    [candidate.kid, seed, JSON.stringify(candidate.publicJwk)],
  );
  if (inserted.rowCount === 1) return candidate;
  const winner = await readCurrent(options.pool, table);
  if (!winner) throw new Error(`no current signing key in ${table} after a conflicting insert`);
  return winner;
}

async function readCurrent(pool: Pool, table: string): Promise<SigningKey | null> {
  const result = await pool.query<{ kid: string; private_seed: string }>(
    `SELECT kid, private_seed FROM ${table} WHERE slot = 'current'`,
  );
  const row = result.rows[0];
  if (!row) return null;
  const key = await signingKeyFromSeed(row.private_seed, 'stored');
  // The kid is derived from the seed; a mismatch means the row was edited by hand.
  if (key.kid !== row.kid) throw new Error(`signing key ${row.kid} in ${table} does not match its stored seed`);
  return key;
}

