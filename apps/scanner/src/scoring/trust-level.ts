import type { TrustLevel } from '@toolport/contracts';
import type { Finding } from '../analyzers/finding';

/** What the trust level is decided from, besides the findings. */
export interface TrustEvidence {
  /**
   * One entry per package of the version that the scanner fetched: whether its bytes matched a
   * digest the registry or server.json published. Empty for a remote-only server and for a
   * scan that analysed no package.
   */
  packageIntegrity: readonly boolean[];
  /**
   * Whether the publisher proved at publish time that the publisher of the version owns every
   * package it names (npm `mcpName`, PyPI `mcp-name:`, mcpb SHA-256, OCI label). Only what the
   * VersionPublished event proves counts: a publish with the check switched off proves nothing.
   */
  ownershipVerified: boolean;
}

/**
 * The trust level (README "Scanner: score and trust level"):
 *
 * - `rejected`: any critical finding. Integrity mismatches, unsafe archives and malicious
 *   dependencies all arrive as critical findings, so they are gates like any other critical.
 * - `needs-review`: any high finding.
 * - `verified`: no critical or high finding, at least one package, every package's integrity
 *   verified, and ownership verified. A remote-only server has no bytes to verify, so it tops
 *   out at `passed`: `verified` promises that what runs is what was scanned.
 * - `passed`: everything else.
 */
export function trustLevelOf(findings: readonly Pick<Finding, 'severity'>[], evidence: TrustEvidence): TrustLevel {
  if (findings.some((f) => f.severity === 'critical')) return 'rejected';
  if (findings.some((f) => f.severity === 'high')) return 'needs-review';
  const integrity = evidence.packageIntegrity.length > 0 && evidence.packageIntegrity.every(Boolean);
  return integrity && evidence.ownershipVerified ? 'verified' : 'passed';
}
