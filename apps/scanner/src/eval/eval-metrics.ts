/**
 * Detection figures of the evaluation tool (issue 5, "Evaluation tool"): a corpus item is
 * *flagged* when its worst finding is high or critical, and an item should be flagged when its
 * label says so. Pure: the CLI and the corpus specs compute their figures here and nowhere else.
 */
import { type Finding, severityRank } from '../analyzers/finding';

/** Flagged = the worst finding is high or critical. */
export function isFlagged(findings: readonly Pick<Finding, 'severity'>[]): boolean {
  return findings.some((finding) => severityRank(finding.severity) <= severityRank('high'));
}

export interface Judged {
  flagged: boolean;
  shouldFlag: boolean;
}

export interface DetectionFigures {
  items: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** Of the flagged items, how many should have been; null when nothing was flagged. */
  precision: number | null;
  /** Of the items that should be flagged, how many were; null when none should be. */
  recall: number | null;
  /** Of the items that should not be flagged, how many were; null when every item should be. */
  falsePositiveRate: number | null;
}

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

export function detectionFigures(judged: readonly Judged[]): DetectionFigures {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  let trueNegatives = 0;
  for (const item of judged) {
    if (item.flagged && item.shouldFlag) truePositives++;
    else if (item.flagged) falsePositives++;
    else if (item.shouldFlag) falseNegatives++;
    else trueNegatives++;
  }
  return {
    items: judged.length,
    truePositives,
    falsePositives,
    falseNegatives,
    trueNegatives,
    precision: ratio(truePositives, truePositives + falsePositives),
    recall: ratio(truePositives, truePositives + falseNegatives),
    falsePositiveRate: ratio(falsePositives, falsePositives + trueNegatives),
  };
}

/** `0.950` or `n/a`, as the CLI's table and the specs' messages print a figure. */
export function formatRatio(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(3);
}

export function describeFigures(figures: DetectionFigures): string {
  return (
    `precision ${formatRatio(figures.precision)}, recall ${formatRatio(figures.recall)}, FPR ${formatRatio(figures.falsePositiveRate)} ` +
    `(tp ${figures.truePositives}, fp ${figures.falsePositives}, fn ${figures.falseNegatives}, tn ${figures.trueNegatives}, n ${figures.items})`
  );
}
