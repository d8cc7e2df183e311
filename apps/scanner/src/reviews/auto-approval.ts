import { matchesPattern } from '@toolport/auth';
import type { ScanState } from '../scans/scan';
import { serviceContext } from '../scans/scan-processor';
import type { ScannedVersion } from '../scans/scan-versions';
import type { ReviewCommands } from './review-commands';

/**
 * Approves `verified` versions of the configured namespaces (TOOLPORT_AUTO_APPROVE_NAMESPACES,
 * off when empty) as the scanner's own actor, with `automatic: true`. Only a version still
 * pending: it never overrides a reviewer's rejection, nor re-approves after a revocation
 * (a revoked approval is a person's decision to look again).
 */
export class AutoApproval {
  constructor(
    private readonly patterns: readonly string[],
    private readonly reviews: ReviewCommands,
  ) {}

  matchingPattern(serverName: string): string | null {
    return this.patterns.find((pattern) => matchesPattern(pattern, serverName)) ?? null;
  }

  async afterCompleted(version: ScannedVersion, scan: ScanState): Promise<boolean> {
    const completed = scan.lastCompleted;
    if (completed === null || completed.trustLevel !== 'verified') return false;
    const pattern = this.matchingPattern(version.serverName);
    if (pattern === null) return false;
    const review = await this.reviews.load(version);
    if (review.decision !== 'pending' || review.history.some((h) => h.kind === 'revoked')) return false;
    const context = serviceContext();
    const { events } = await this.reviews.execute(
      {
        type: 'ApproveVersion',
        serverName: version.serverName,
        version: version.version,
        justification: `Approved automatically: the scan is verified and ${version.serverName} matches the auto-approval pattern ${pattern}`,
        now: context.now,
        scan: { trustLevel: completed.trustLevel, tools: completed.tools, toolListHash: completed.toolListHash },
        automatic: true,
        reviewer: { mayPublish: false, publishedIt: false },
      },
      context,
    );
    return events.length > 0;
  }
}
