import type { FindingSchema, McpTool } from '@toolport/contracts';
import type { Static } from '@sinclair/typebox';
import { evidenceOf } from './visible-evidence';
import type { ToolField } from './tool-fields';

/** One finding as ScanCompleted carries it (libs/contracts FindingSchema). */
export type Finding = Static<typeof FindingSchema>;
export type Severity = Finding['severity'];
export type Confidence = Finding['confidence'];

/**
 * Version of the tool-description rule set (TP-TOOL-*). Bump it whenever a rule's detection,
 * severity or confidence changes: the scanner rescans every version when its rules version moves
 * (issue 5, "rescan when the rules version changes").
 */
export const RULES_VERSION = 'tools-1.0.0';

/** Worst first: the order findings are sorted in and the order `worstSeverity` compares by. */
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
export const CONFIDENCE_ORDER: readonly Confidence[] = ['high', 'medium', 'low'];

export const severityRank = (severity: Severity): number => SEVERITY_ORDER.indexOf(severity);
export const confidenceRank = (confidence: Confidence): number => CONFIDENCE_ORDER.indexOf(confidence);

/** Negative when `a` is worse than `b`. */
export const bySeverity = (a: Severity, b: Severity): number => severityRank(a) - severityRank(b);

export function worstSeverity(findings: readonly Pick<Finding, 'severity'>[]): Severity | null {
  return findings.reduce<Severity | null>((worst, f) => (worst === null || bySeverity(f.severity, worst) < 0 ? f.severity : worst), null);
}

/** What a rule is, for documentation and the review console; `severity` is its usual (worst) level. */
export interface RuleInfo {
  id: string;
  severity: Severity;
  description: string;
}

/** What every analyzer gets besides the tool. */
export interface AnalyzerContext {
  /**
   * The strings to inspect, each with its JSON path. For a tool as declared these are all the
   * strings the model sees (toolFields(tool)); when a payload was decoded, only the decoded text,
   * at the location of the field that carried it.
   */
  fields: readonly ToolField[];
  /** Names of every tool the same server declares: naming one of them is not shadowing. */
  serverToolNames: ReadonlySet<string>;
  /** Encodings peeled off to reach `fields`, outermost first (`['base64']`); empty for declared text. */
  layers: readonly string[];
  /** Runs every analyzer over decoded fields, one layer deeper; returns [] past the depth bound. */
  rescan(fields: readonly ToolField[], layer: string): Finding[];
}

/** A pure analysis of one tool: no I/O, same input, same findings. */
export interface Analyzer {
  id: string;
  rules: RuleInfo[];
  analyzeTool(tool: McpTool, context: AnalyzerContext): Finding[];
}

/** Builds a finding of `rule`, turning raw text into safe evidence (visible, truncated, masked). */
export function makeFinding(
  rule: RuleInfo,
  fields: { location: string; rawEvidence: string; message: string; severity?: Severity; confidence: Confidence },
): Finding {
  return {
    ruleId: rule.id,
    ruleVersion: RULES_VERSION,
    severity: fields.severity ?? rule.severity,
    confidence: fields.confidence,
    location: fields.location,
    evidence: evidenceOf(fields.rawEvidence),
    message: fields.message,
  };
}
