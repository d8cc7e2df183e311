import { createPool, ensureDatabase, runMigrations } from '@toolport/event-store';
import { TEST_DATABASE_URL, testInstanceName } from '@toolport/testing';
import type { Pool } from 'pg';
import { dropWriterRole } from '../__fixtures__/audit-test-env';
import { ed25519PrivateKeyFromSeed, keyIdOf, publicKeyBase64, signTreeHead, verifyTreeHead } from '../transparency-log';
import { auditLogMigrations } from './audit-log.migrations';
import { knownPublicKeys, loadHeadSigningKey } from './audit-signing-keys';

const schema = `${testInstanceName('auditkeys')}_audit`;
const SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
let pool: Pool;

beforeAll(async () => {
  await ensureDatabase(TEST_DATABASE_URL);
  pool = createPool(TEST_DATABASE_URL, { max: 4 });
  await runMigrations(pool, schema, auditLogMigrations);
});

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
  await dropWriterRole(schema);
});

it('generates one key on first start, also when replicas start at once, and keeps it', async () => {
  const keys = await Promise.all([1, 2, 3].map(() => loadHeadSigningKey(pool, schema, null)));
  expect(new Set(keys.map((k) => k.keyId)).size).toBe(1);
  expect(keys[0]!.configured).toBe(false);
  const again = await loadHeadSigningKey(pool, schema, null);
  expect(again.keyId).toBe(keys[0]!.keyId);
  const head = signTreeHead({ treeSize: 1, rootHash: 'ab'.repeat(32), timestamp: new Date('2025-01-01T00:00:00Z') }, again.privateKey);
  expect(verifyTreeHead(head, keys[1]!.privateKey)).toBe(true);
});

it('signs with a configured seed instead, and remembers every public key for verification', async () => {
  const generated = await loadHeadSigningKey(pool, schema, null);
  const configured = await loadHeadSigningKey(pool, schema, SEED);
  const expected = ed25519PrivateKeyFromSeed(SEED);
  expect(configured).toMatchObject({ keyId: keyIdOf(expected), publicKeyBase64: publicKeyBase64(expected), configured: true });
  const known = await knownPublicKeys(pool, schema);
  expect([...known.keys()].sort()).toEqual([generated.keyId, configured.keyId].sort());
  expect(known.get(configured.keyId)!.publicKeyBase64).toBe(publicKeyBase64(expected));
  // The configured seed itself is never stored.
  const seeds = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.signing_keys WHERE private_seed IS NOT NULL`);
  expect(Number(seeds.rows[0]!.n)).toBe(1);
});
