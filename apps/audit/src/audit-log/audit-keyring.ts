import type { Pool } from 'pg';
import { type HeadSigningKey, knownPublicKeys, type KnownPublicKey, loadHeadSigningKey } from './audit-signing-keys';

/** The key heads are signed with now, and every public key heads of this log were ever signed with. */
export class AuditKeyring {
  private constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    readonly current: HeadSigningKey,
  ) {}

  static async load(pool: Pool, schema: string, configuredSeedHex: string | null): Promise<AuditKeyring> {
    return new AuditKeyring(pool, schema, await loadHeadSigningKey(pool, schema, configuredSeedHex));
  }

  known(): Promise<Map<string, KnownPublicKey>> {
    return knownPublicKeys(this.pool, this.schema);
  }
}
