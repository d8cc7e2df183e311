import { type Confidence, type Finding, type RuleInfo, type Severity } from '../analyzers/finding';
import { evidenceOf } from '../analyzers/visible-evidence';

/**
 * Rules versions of the package analyzers. Bump one whenever a rule's detection, severity or
 * confidence changes: the combined PACKAGE_RULES_VERSION then moves and the scanner rescans.
 */
export const SOURCE_RULES_VERSION = 'source-1.0.0';
export const SECRETS_RULES_VERSION = 'secrets-1.0.0';
export const DEPENDENCY_RULES_VERSION = 'deps-1.0.0';
export const MANIFEST_RULES_VERSION = 'manifest-1.0.0';

/** A package rule: RuleInfo plus the rules version its findings carry. */
export interface PackageRule extends RuleInfo {
  version: string;
}

/** Evidence length for package findings: a line of code with some context; the schema allows 2000. */
export const PACKAGE_EVIDENCE_MAX = 400;

export function packageFinding(
  rule: PackageRule,
  fields: { location: string; rawEvidence: string; message: string; severity?: Severity; confidence: Confidence },
): Finding {
  return {
    ruleId: rule.id,
    ruleVersion: rule.version,
    severity: fields.severity ?? rule.severity,
    confidence: fields.confidence,
    location: fields.location,
    // evidenceOf masks anything credential-like before making invisible characters visible.
    evidence: evidenceOf(fields.rawEvidence, PACKAGE_EVIDENCE_MAX),
    message: fields.message,
  };
}

/** 1-based line of a character offset; built once per file so many findings stay cheap. */
export function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** The text of line `line` (1-based), trimmed and cut, for evidence. */
export function lineText(text: string, line: number, max = 240): string {
  let start = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return '';
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  const raw = text.slice(start, end < 0 ? text.length : end).trim();
  return raw.length > max ? `${raw.slice(0, max)}…` : raw;
}

export const fileLine = (path: string, line: number): string => `${path}:${line}`;

/** One step less severe (critical → high …, info stays info). */
export function downgrade(severity: Severity): Severity {
  const order: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
  return order[Math.min(order.indexOf(severity) + 1, order.length - 1)];
}
