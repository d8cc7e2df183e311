import type { McpTool } from '@toolport/contracts';
import { concealmentAnalyzer } from './concealment.analyzer';
import { directiveAnalyzer } from './directive.analyzer';
import { encodedPayloadAnalyzer } from './encoded-payload.analyzer';
import { type Analyzer, type AnalyzerContext, confidenceRank, type Finding, type RuleInfo, severityRank } from './finding';
import { hiddenMarkupAnalyzer } from './hidden-markup.analyzer';
import { installInstructionAnalyzer } from './install-instruction.analyzer';
import { invisibleUnicodeAnalyzer } from './invisible-unicode.analyzer';
import { markdownExfiltrationAnalyzer } from './markdown-exfiltration.analyzer';
import { parameterAnalyzer } from './parameter.analyzer';
import { POISONING_COMBINATION_RULE, poisoningCombination } from './poisoning-combination';
import { sensitiveTargetAnalyzer } from './sensitive-target.analyzer';
import { shadowingAnalyzer } from './shadowing.analyzer';
import { terminalControlAnalyzer } from './terminal-control.analyzer';
import { type ToolField, toolFields, toolPath } from './tool-fields';
import { triggerAnalyzer } from './trigger.analyzer';

export { canonicalJson, toolHash, toolHashInput, toolListHash } from '@toolport/contracts';

/** Every tool-description analyzer, in rule-id order. */
export const TOOL_ANALYZERS: readonly Analyzer[] = [
  directiveAnalyzer,
  concealmentAnalyzer,
  sensitiveTargetAnalyzer,
  parameterAnalyzer,
  triggerAnalyzer,
  invisibleUnicodeAnalyzer,
  terminalControlAnalyzer,
  encodedPayloadAnalyzer,
  hiddenMarkupAnalyzer,
  markdownExfiltrationAnalyzer,
  shadowingAnalyzer,
  installInstructionAnalyzer,
];

/** All TP-TOOL rules with their usual severity, sorted by id. */
export const TOOL_RULES: readonly RuleInfo[] = [...TOOL_ANALYZERS.flatMap((a) => a.rules), POISONING_COMBINATION_RULE].sort((a, b) => (a.id < b.id ? -1 : 1));

/**
 * How many encodings are peeled off one inside another (base64 of hex of …). Three covers the
 * layering in the public write-ups; each layer costs a full rescan of the decoded text, and the
 * bound keeps a crafted payload from recursing without end.
 */
export const MAX_DECODE_DEPTH = 3;

function runAnalyzers(tool: McpTool, fields: readonly ToolField[], serverToolNames: ReadonlySet<string>, layers: readonly string[]): Finding[] {
  const context: AnalyzerContext = {
    fields,
    serverToolNames,
    layers,
    rescan: (decoded, layer) => (layers.length + 1 > MAX_DECODE_DEPTH ? [] : runAnalyzers(tool, decoded, serverToolNames, [...layers, layer])),
  };
  const findings = TOOL_ANALYZERS.flatMap((analyzer) => analyzer.analyzeTool(tool, context));
  return [...findings, ...poisoningCombination(toolPath(tool), findings)];
}

/** Worse severity first, then surer confidence. */
const worse = (a: Finding, b: Finding): boolean =>
  severityRank(a.severity) < severityRank(b.severity) || (a.severity === b.severity && confidenceRank(a.confidence) < confidenceRank(b.confidence));

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One finding per (rule, location), the worst; sorted by severity (critical first), then
 * location, then rule id, so the same tools always give the same list in the same order.
 */
export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const kept = new Map<string, Finding>();
  for (const finding of findings) {
    const key = `${finding.ruleId}\u0000${finding.location}`;
    const current = kept.get(key);
    if (!current || worse(finding, current)) kept.set(key, finding);
  }
  return [...kept.values()].sort(
    (a, b) => severityRank(a.severity) - severityRank(b.severity) || byCodeUnit(a.location, b.location) || byCodeUnit(a.ruleId, b.ruleId) || byCodeUnit(a.message, b.message),
  );
}

/** Runs every analyzer over every tool of one server version. Pure. */
export function analyzeTools(tools: readonly McpTool[], otherServerToolNames: readonly string[] = []): Finding[] {
  // Naming one of the server's own tools is not shadowing, whether or not it is analysed here.
  const serverToolNames = new Set([...tools.map((t) => t.name), ...otherServerToolNames]);
  return dedupeFindings(tools.flatMap((tool) => runAnalyzers(tool, toolFields(tool), serverToolNames, [])));
}
