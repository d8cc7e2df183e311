import type { TrustLevel } from '@toolport/contracts';
import { type Finding, type Severity, worstSeverity } from '../analyzers/finding';
import { analyzeTools } from '../analyzers/tool-analysis';
import { trustLevelOf } from '../scoring/trust-level';
import { type CorpusItem, type CorpusSet, shouldFlag } from './eval-corpus';
import { type DetectionFigures, detectionFigures, isFlagged } from './eval-metrics';

/**
 * How the evaluation reaches the package and archive analysis: the CLI wires the real artifact
 * unpacking and package analyzers; the findings must come from exactly the code a scan runs.
 */
export interface EvalScanners {
  /** A directory holding a package's contents as inside its archive. */
  scanDirectory(path: string, ecosystem: 'npm' | 'pypi' | 'mcpb'): Promise<Finding[]>;
  /** A `.tgz`, `.zip`, `.mcpb` or `.whl` file: safe unpacking first (unsafe = critical finding). */
  scanArchive(path: string): Promise<Finding[]>;
}

export interface ItemVerdict {
  set: CorpusSet;
  id: string;
  label: 'malicious' | 'benign';
  shouldFlag: boolean;
  flagged: boolean;
  worstSeverity: Severity | null;
  trustLevel: TrustLevel;
  findings: { ruleId: string; severity: Severity; location: string }[];
}

export interface EvalReport {
  items: ItemVerdict[];
  summary: { overall: DetectionFigures } & Partial<Record<CorpusSet, DetectionFigures>> & { run?: EvalRunStats };
}

/** How the run went, for bench/scanner: wall time and this process's peak resident set. */
export interface EvalRunStats {
  durationMs: number;
  peakRssBytes: number;
}

/**
 * Scans every item with the real analyzers and judges it. Local files carry no published digest,
 * so no item can show verified integrity: trust levels top out at `passed`, as they would for a
 * scan whose integrity could not be checked.
 */
export async function runEvaluation(items: readonly CorpusItem[], scanners: EvalScanners, onItem: () => void = () => undefined): Promise<EvalReport> {
  const verdicts: ItemVerdict[] = [];
  for (const item of items) {
    const findings = await findingsOf(item, scanners);
    verdicts.push({
      set: item.set,
      id: item.id,
      label: item.label,
      shouldFlag: shouldFlag(item),
      flagged: isFlagged(findings),
      worstSeverity: worstSeverity(findings),
      trustLevel: trustLevelOf(findings, { packageIntegrity: [], ownershipVerified: false }),
      findings: findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, location: f.location })),
    });
    onItem();
  }
  return { items: verdicts, summary: summarise(verdicts) };
}

function findingsOf(item: CorpusItem, scanners: EvalScanners): Promise<Finding[]> {
  switch (item.set) {
    case 'tools':
      return Promise.resolve(analyzeTools([item.tool]));
    case 'packages':
      return scanners.scanDirectory(item.path, item.ecosystem);
    case 'archives':
      return scanners.scanArchive(item.path);
  }
}

function summarise(verdicts: readonly ItemVerdict[]): EvalReport['summary'] {
  const summary: EvalReport['summary'] = { overall: detectionFigures(verdicts) };
  for (const set of ['tools', 'packages', 'archives'] as const) {
    const ofSet = verdicts.filter((v) => v.set === set);
    if (ofSet.length > 0) summary[set] = detectionFigures(ofSet);
  }
  return summary;
}
