import type { Actor, TrustLevel } from '@toolport/contracts';
import type { ApprovalStatus } from '../visibility/visibility';
import type { VersionKey } from './catalog-events';
import { type Db, iso } from './db';
import type { FindingCounts, ScanStatus, SecurityState } from './security.read-model';

/** `version_security` columns as node-postgres returns them (also read, prefixed, by the entry query). */
export interface SecurityRow {
  scan_status: ScanStatus;
  scan_requested_at: Date | null;
  scan_finished_at: Date | null;
  scan_failure: string | null;
  rules_version: string | null;
  trust_level: TrustLevel | null;
  score: number | null;
  finding_counts: FindingCounts;
  tool_list_hash: string | null;
  approval: ApprovalStatus;
  approval_by: Actor | null;
  approval_at: Date | null;
  approval_justification: string | null;
  approval_automatic: boolean | null;
}

export const SECURITY_COLUMNS =
  'scan_status, scan_requested_at, scan_finished_at, scan_failure, rules_version, trust_level, score, finding_counts, tool_list_hash, approval, approval_by, approval_at, approval_justification, approval_automatic';

export function securityFromRow(row: SecurityRow): SecurityState {
  return {
    scanStatus: row.scan_status,
    scanRequestedAt: iso(row.scan_requested_at),
    scanFinishedAt: iso(row.scan_finished_at),
    scanFailure: row.scan_failure,
    rulesVersion: row.rules_version,
    trustLevel: row.trust_level,
    score: row.score,
    findings: row.finding_counts,
    toolListHash: row.tool_list_hash,
    approval: row.approval,
    approvalBy: row.approval_by,
    approvalAt: iso(row.approval_at),
    approvalJustification: row.approval_justification,
    approvalAutomatic: row.approval_automatic,
  };
}

export async function loadSecurity(db: Db, schema: string, key: VersionKey): Promise<SecurityState | null> {
  const { rows } = await db.query<SecurityRow>(`SELECT ${SECURITY_COLUMNS} FROM ${schema}.version_security WHERE server_name = $1 AND version = $2`, [
    key.serverName,
    key.version,
  ]);
  return rows[0] ? securityFromRow(rows[0]) : null;
}

/**
 * Writes the row, then brings the version's `listed_updated_at` up to the approval decision
 * (see saveVersion: the same GREATEST from the other side, so either order gives one value).
 */
export async function saveSecurity(db: Db, schema: string, key: VersionKey, state: SecurityState): Promise<void> {
  await db.query(
    `INSERT INTO ${schema}.version_security (server_name, version, ${SECURITY_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13::jsonb, $14, $15, $16)
     ON CONFLICT (server_name, version) DO UPDATE SET
       scan_status = EXCLUDED.scan_status, scan_requested_at = EXCLUDED.scan_requested_at, scan_finished_at = EXCLUDED.scan_finished_at,
       scan_failure = EXCLUDED.scan_failure, rules_version = EXCLUDED.rules_version, trust_level = EXCLUDED.trust_level, score = EXCLUDED.score,
       finding_counts = EXCLUDED.finding_counts, tool_list_hash = EXCLUDED.tool_list_hash, approval = EXCLUDED.approval,
       approval_by = EXCLUDED.approval_by, approval_at = EXCLUDED.approval_at, approval_justification = EXCLUDED.approval_justification,
       approval_automatic = EXCLUDED.approval_automatic`,
    [
      key.serverName,
      key.version,
      state.scanStatus,
      state.scanRequestedAt,
      state.scanFinishedAt,
      state.scanFailure,
      state.rulesVersion,
      state.trustLevel,
      state.score,
      JSON.stringify(state.findings),
      state.toolListHash,
      state.approval,
      state.approvalBy === null ? null : JSON.stringify(state.approvalBy),
      state.approvalAt,
      state.approvalJustification,
      state.approvalAutomatic,
    ],
  );
  if (state.approvalAt !== null) {
    await db.query(
      `UPDATE ${schema}.versions SET listed_updated_at = GREATEST(updated_at, $3::timestamptz)
        WHERE server_name = $1 AND version = $2 AND listed_updated_at IS DISTINCT FROM GREATEST(updated_at, $3::timestamptz)`,
      [key.serverName, key.version, state.approvalAt],
    );
  }
}
