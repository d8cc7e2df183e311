import type { EnvReader } from '@toolport/config';
import type { TreeHeadPolicy } from './tree-head-signer';

export interface AuditLogOptions {
  /** TOOLPORT_AUDIT_SIGNING_KEY: Ed25519 seed (64 hex); null: generate one on first start and keep it in the audit schema. */
  signingKeySeedHex: string | null;
  treeHeads: TreeHeadPolicy;
}

/**
 * - TOOLPORT_AUDIT_SIGNING_KEY: 32-byte Ed25519 seed in hex (`openssl rand -hex 32`); default none
 *   (a key is generated on first start and stored in `<instance>_audit.signing_keys`).
 * - TOOLPORT_AUDIT_STH_EVERY_RECORDS: sign a tree head at every multiple of this size (default 100).
 * - TOOLPORT_AUDIT_STH_INTERVAL_SECONDS: sign one this long after the last when the log grew (default 60).
 */
export function parseAuditLogConfig(read: EnvReader): AuditLogOptions {
  const signingKeySeedHex = read.optional('TOOLPORT_AUDIT_SIGNING_KEY');
  read.check(
    'TOOLPORT_AUDIT_SIGNING_KEY',
    signingKeySeedHex === null || /^[0-9a-fA-F]{64}$/.test(signingKeySeedHex),
    'must be a 32-byte Ed25519 seed in hex (64 characters)',
  );
  return {
    signingKeySeedHex: signingKeySeedHex?.toLowerCase() ?? null,
    treeHeads: {
      everyRecords: read.int('TOOLPORT_AUDIT_STH_EVERY_RECORDS', 100, { min: 1, max: 1_000_000 }),
      intervalSeconds: read.int('TOOLPORT_AUDIT_STH_INTERVAL_SECONDS', 60, { min: 1, max: 86_400 }),
    },
  };
}
