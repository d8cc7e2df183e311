import type { Finding } from '../analyzers/finding';
import { ENGINE_RULES_VERSION } from '../scan-engine/scan-engine';

/**
 * Room for findings in one ScanCompleted. NATS refuses messages over its max_payload (1 MiB by
 * default), and a relay that cannot publish an event stops every later one, so a package with
 * thousands of findings must not produce an event that large. Half a MiB leaves room for the
 * tool inventory and the envelope.
 */
export const MAX_FINDINGS_BYTES = 512 * 1024;

export const FINDINGS_OMITTED_RULE = 'TP-SCAN-002';

/**
 * The findings as the event carries them: worst first (the order they come in), cut where the
 * budget ends, plus one `info` finding saying how many were left out and how bad the worst of
 * them was. Score and trust level are computed on every finding before this.
 */
export function withinBudget(findings: readonly Finding[], maxBytes = MAX_FINDINGS_BYTES): Finding[] {
  const kept: Finding[] = [];
  let used = 0;
  for (const finding of findings) {
    const size = Buffer.byteLength(JSON.stringify(finding)) + 1;
    if (used + size > maxBytes) break;
    kept.push(finding);
    used += size;
  }
  if (kept.length === findings.length) return kept;
  const omitted = findings.slice(kept.length);
  const counts = omitted.reduce<Record<string, number>>((acc, f) => ({ ...acc, [f.severity]: (acc[f.severity] ?? 0) + 1 }), {});
  return [
    ...kept,
    {
      ruleId: FINDINGS_OMITTED_RULE,
      ruleVersion: ENGINE_RULES_VERSION,
      severity: 'info',
      confidence: 'high',
      location: 'scan',
      evidence: Object.entries(counts).map(([severity, n]) => `${severity}: ${n}`).join(', '),
      message: `${omitted.length} more findings were left out of this record to keep it under ${maxBytes} bytes; score and trust level count them all.`,
    },
  ];
}
