import type { Pool, PoolClient } from 'pg';
import type { EventOf, TokenRevoked } from '@toolport/contracts';
import { assertSchemaName, type Migration } from '@toolport/event-store';

/**
 * Revocation travels as the `TokenRevoked` event (DESIGN.md "Identity and access"): every
 * service projects it into `revoked_tokens` in its OWN schema, so no service reads another's
 * tables and a check is one primary-key lookup in the database the service already uses.
 */
export const revocationMigrations: Migration[] = [
  {
    id: 'auth-revocations/0001-revoked-tokens',
    up: (schema) => `
      CREATE TABLE ${schema}.revoked_tokens (
        token_id text PRIMARY KEY,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz NOT NULL
      );
      CREATE INDEX revoked_tokens_expires_at ON ${schema}.revoked_tokens (expires_at);`,
  },
];

/**
 * Projection handler for `TokenRevoked`, run by the app's `<service>-token-revocations` consumer
 * inside the transaction that also stores the consumer's position. Idempotent: redelivery and
 * a second revocation of the same token change nothing.
 */
export async function applyTokenRevoked(
  tx: PoolClient,
  schema: string,
  event: Pick<EventOf<typeof TokenRevoked>, 'data' | 'metadata'>,
): Promise<void> {
  await tx.query(
    `INSERT INTO ${assertSchemaName(schema)}.revoked_tokens (token_id, expires_at, revoked_at)
     VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [event.data.tokenId, event.data.expiresAt, event.metadata.occurredAt],
  );
}

/** The port token verification uses; `RevocationChecker` is the Postgres adapter. */
export interface RevocationLookup {
  isRevoked(tokenId: string): Promise<boolean>;
}

export interface RevocationCheckerOptions {
  pool: Pool;
  /** The service's own schema, migrated with `revocationMigrations`. */
  schema: string;
  clock?: () => Date;
  /** Where a failed periodic purge is reported (the next run tries again). */
  onPurgeError?: (error: unknown) => void;
}

export class RevocationChecker implements RevocationLookup {
  /**
   * Only positive answers are cached, until the token would have expired anyway: a revocation
   * never becomes undone, but a "not revoked" answer may be wrong a moment later.
   */
  private readonly revokedUntil = new Map<string, number>();
  private readonly table: string;
  private readonly clock: () => Date;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: RevocationCheckerOptions) {
    this.table = `${assertSchemaName(options.schema)}.revoked_tokens`;
    this.clock = options.clock ?? (() => new Date());
  }

  async isRevoked(tokenId: string): Promise<boolean> {
    const now = this.clock().getTime();
    const cached = this.revokedUntil.get(tokenId);
    if (cached !== undefined) {
      if (cached > now) return true;
      this.revokedUntil.delete(tokenId);
    }
    const result = await this.options.pool.query<{ expires_at: Date }>(
      `SELECT expires_at FROM ${this.table} WHERE token_id = $1`,
      [tokenId],
    );
    const row = result.rows[0];
    if (!row) return false;
    this.revokedUntil.set(tokenId, row.expires_at.getTime());
    return true;
  }

  /** Forget revocations of tokens that have expired: they are refused as expired anyway. */
  async purgeExpired(): Promise<number> {
    const now = this.clock();
    for (const [tokenId, until] of this.revokedUntil) if (until <= now.getTime()) this.revokedUntil.delete(tokenId);
    const result = await this.options.pool.query(`DELETE FROM ${this.table} WHERE expires_at <= $1`, [now]);
    return result.rowCount ?? 0;
  }

  /** Purge every `intervalMs` until `stop()`; the timer does not keep the process alive. */
  startPurging(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.purgeExpired().catch((error: unknown) => this.options.onPurgeError?.(error));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
