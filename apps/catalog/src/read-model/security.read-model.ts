import type { Actor, TrustLevel } from '@toolport/contracts';
import type { ApprovalStatus } from '../visibility/visibility';
import type { ScannerCatalogEvent } from './catalog-events';

export type ScanStatus = 'pending' | 'completed' | 'failed';

export interface FindingCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  info: number;
}

/** A version's row in `version_security`: what the scanner and the reviewers said about it. */
export interface SecurityState {
  scanStatus: ScanStatus;
  scanRequestedAt: string | null;
  /** When the last scan completed or failed. */
  scanFinishedAt: string | null;
  scanFailure: string | null;
  rulesVersion: string | null;
  /** null until a scan completed or a reviewer decided. */
  trustLevel: TrustLevel | null;
  score: number | null;
  findings: FindingCounts;
  toolListHash: string | null;
  approval: ApprovalStatus;
  /** Who approved, rejected or revoked (the event's actor). */
  approvalBy: Actor | null;
  approvalAt: string | null;
  approvalJustification: string | null;
  approvalAutomatic: boolean | null;
}

export const noFindings = (): FindingCounts => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

/** A version nobody has scanned or reviewed yet: its scan is pending (the scanner requests one on publish). */
export const initialSecurityState = (): SecurityState => ({
  scanStatus: 'pending',
  scanRequestedAt: null,
  scanFinishedAt: null,
  scanFailure: null,
  rulesVersion: null,
  trustLevel: null,
  score: null,
  findings: noFindings(),
  toolListHash: null,
  approval: 'pending',
  approvalBy: null,
  approvalAt: null,
  approvalJustification: null,
  approvalAutomatic: null,
});

/**
 * Scans and reviews of one version. A rescan (ScanRequested after a completed scan) marks the
 * scan pending but keeps the last verdict until the new one arrives, so a version does not lose
 * its trust level while it is rescanned. An approval carries the trust level the reviewer (or
 * the automatic policy) settled on, which wins over the scan's until the next scan completes.
 */
export function evolveSecurity(state: SecurityState | null, event: ScannerCatalogEvent): SecurityState {
  const current = state ?? initialSecurityState();
  switch (event.type) {
    case 'ScanRequested':
      return { ...current, scanStatus: 'pending', scanRequestedAt: event.data.requestedAt, scanFailure: null, rulesVersion: event.data.rulesVersion };
    case 'ScanCompleted': {
      const { data } = event;
      const findings = noFindings();
      for (const finding of data.findings) findings[finding.severity] += 1;
      return {
        ...current,
        scanStatus: 'completed',
        scanFinishedAt: data.completedAt,
        scanFailure: null,
        rulesVersion: data.rulesVersion,
        trustLevel: data.trustLevel,
        score: data.score,
        findings,
        toolListHash: data.toolListHash,
      };
    }
    case 'ScanFailed':
      return { ...current, scanStatus: 'failed', scanFinishedAt: event.data.failedAt, scanFailure: event.data.reason, rulesVersion: event.data.rulesVersion };
    case 'VersionApproved':
      return {
        ...current,
        trustLevel: event.data.trustLevel,
        approval: 'approved',
        approvalBy: event.metadata.actor,
        approvalAt: event.data.approvedAt,
        approvalJustification: event.data.justification,
        approvalAutomatic: event.data.automatic,
      };
    case 'VersionRejected':
      return decided(current, 'rejected', event.metadata.actor, event.data.rejectedAt, event.data.justification);
    case 'ApprovalRevoked':
      return decided(current, 'revoked', event.metadata.actor, event.data.revokedAt, event.data.justification);
  }
}

function decided(state: SecurityState, approval: ApprovalStatus, by: Actor, at: string, justification: string): SecurityState {
  return { ...state, approval, approvalBy: by, approvalAt: at, approvalJustification: justification, approvalAutomatic: false };
}
