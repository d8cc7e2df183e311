import type { Finding } from '../analyzers/finding';

/**
 * Points one finding takes off the score, by severity, before the confidence factor. A critical
 * finding alone leaves at most 40: it also gates the trust level to `rejected` (trust-level.ts),
 * the score only ranks versions of the same level against each other. `info` costs nothing: it
 * records a fact (an OCI image not scanned, say), not a risk.
 */
export const SEVERITY_DEDUCTION: Readonly<Record<Finding['severity'], number>> = {
  critical: 60,
  high: 25,
  medium: 10,
  low: 3,
  info: 0,
};

/** How much of the deduction applies: a low-confidence heuristic hit weighs less than a sure one. */
export const CONFIDENCE_FACTOR: Readonly<Record<Finding['confidence'], number>> = {
  high: 1,
  medium: 0.6,
  low: 0.3,
};

/** The deduction of one finding (severity points times the confidence factor). */
export function findingDeduction(finding: Pick<Finding, 'severity' | 'confidence'>): number {
  return SEVERITY_DEDUCTION[finding.severity] * CONFIDENCE_FACTOR[finding.confidence];
}

/**
 * 100 minus the sum of every finding's deduction, rounded to the nearest integer, never below 0.
 * Pure: the same findings always give the same score, in any order.
 */
export function scoreOf(findings: readonly Pick<Finding, 'severity' | 'confidence'>[]): number {
  const deducted = findings.reduce((sum, finding) => sum + findingDeduction(finding), 0);
  return Math.max(0, Math.round(100 - deducted));
}
