import { withTransaction } from '@toolport/event-store';
import type { Pool, PoolClient } from 'pg';

/** `<instance>_audit_writer`: the NOLOGIN role the audit service's statements run as. */
export const auditWriterRole = (schema: string): string => `${schema}_writer`;

/**
 * Runs `work` as the writer role inside the caller's transaction, then returns to the session's
 * own role. The service connects as the configured database user, which usually owns the schema
 * and may do anything to it; `SET LOCAL ROLE` narrows what the statements in `work` may do to
 * INSERT and SELECT on the audit tables (audit-log.migrations.ts), so a bug or an injected
 * statement cannot UPDATE or DELETE a record. LOCAL: the role ends with the transaction even when
 * `work` throws, so a pooled connection is never handed back narrowed. Switching back matters for
 * projections: the consumer checkpoint is written after `work`, in the same transaction.
 *
 * What it is not: a sandbox. `SET ROLE` is checked against the session user, so a statement that
 * itself says `RESET ROLE` gets the session user's rights back. It guards the service's own code
 * paths; a person with database access is what the trigger and the signed Merkle tree are for.
 */
export async function asAuditWriter<T>(tx: PoolClient, schema: string, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  await tx.query(`SET LOCAL ROLE ${auditWriterRole(schema)}`);
  const result = await work(tx);
  await tx.query('SET LOCAL ROLE NONE');
  return result;
}

/** A transaction of its own, run as the writer role throughout. */
export function withAuditWriter<T>(pool: Pool, schema: string, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pool, (tx) => asAuditWriter(tx, schema, work));
}
