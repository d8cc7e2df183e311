import { type Analyzer, type Confidence, type Finding, makeFinding, type RuleInfo, type Severity } from './finding';
import { firstHit, normalizeForMatching, type Phrase, snippet } from './text-match';

/**
 * B11, install or configuration-change instructions in tool text (security-checks.md §3.B11,
 * Cisco): a description that tells the model to pipe a download into a shell, install from
 * another index, or add a server to the agent's MCP configuration turns the agent into the
 * installer of the next stage.
 *
 * An MCP installer tool legitimately "adds a server to the Claude Desktop config": that is its
 * purpose, so a config change is high (review) unless it is about "this server" itself.
 */
export const INSTALL_INSTRUCTION_RULE: RuleInfo = {
  id: 'TP-TOOL-017',
  severity: 'critical',
  description: "Install or config-change instructions: curl|sh, PowerShell download-and-run, pip/npm from another index, 'add this server to mcp.json'",
};

interface InstallPhrase extends Phrase {
  severity: Severity;
  confidence: Confidence;
}

const CONFIG_TARGET = String.raw`\b(?:to|into|in)\s+(?:the\s+|your\s+)?(?:[\w./~-]*(?:mcp\.json|mcp_config\.json|claude_desktop_config\.json|mcp_settings\.json)|(?:mcp|claude(?: desktop)?|cursor|client|agent)\s+(?:config(?:uration)?|settings)(?:\s+file)?)\b`;

const PHRASES: readonly InstallPhrase[] = [
  { pattern: /\b(?:curl|wget)\b[^|\n]{0,200}\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b|\b(?:bash|sh)\s+-c\s+["']?\$\((?:curl|wget)\b|\b(?:bash|sh)\s+<\(\s*(?:curl|wget)\b/i, label: 'pipes a download into a shell', severity: 'critical', confidence: 'high' },
  { pattern: /\b(?:iex|Invoke-Expression)\b[^\n]{0,80}\b(?:iwr|Invoke-WebRequest|DownloadString|irm|Invoke-RestMethod)\b|\bpowershell(?:\.exe)?\b[^\n]{0,40}\s-(?:e|enc|encodedcommand)\s+[A-Za-z0-9+/=]{20,}/i, label: 'downloads and runs PowerShell', severity: 'critical', confidence: 'high' },
  { pattern: /\bpip3?\s+install\b[^\n]{0,80}--(?:extra-)?index-url\s+\S+|\bnpm\s+(?:i|install)\b[^\n]{0,80}--registry[= ]\S+|\buvx?\b[^\n]{0,40}--(?:extra-)?index-url\s+\S+/i, label: 'installs packages from a non-default index', severity: 'critical', confidence: 'medium' },
  {
    pattern: new RegExp(String.raw`\b(?:add|append|insert|write|register|put)\s+(?:this|the following|our|my)\s+(?:mcp\s+)?server\b[^.\n]{0,40}${CONFIG_TARGET}`, 'i'),
    label: "adds this server to the agent's MCP configuration",
    severity: 'critical',
    confidence: 'high',
  },
  {
    pattern: new RegExp(String.raw`\b(?:add|append|insert|write|register|put)\b[^.\n]{0,60}${CONFIG_TARGET}`, 'i'),
    label: "changes the agent's MCP configuration",
    severity: 'high',
    confidence: 'medium',
  },
  { pattern: /(?:^|\s)--(?:dangerously-skip-permissions|yolo|trust-all-tools)\b/i, label: "disables the agent's permission checks", severity: 'critical', confidence: 'medium' },
];

export const installInstructionAnalyzer: Analyzer = {
  id: 'install-instruction',
  rules: [INSTALL_INSTRUCTION_RULE],
  analyzeTool(_tool, context) {
    const findings: Finding[] = [];
    for (const field of context.fields) {
      if (field.role === 'pattern' || field.role === 'property-name' || field.role === 'name') continue;
      const text = normalizeForMatching(field.text);
      const hit = firstHit(text, PHRASES);
      if (!hit) continue;
      const phrase = PHRASES.find((p) => p.label === hit.label)!;
      findings.push(
        makeFinding(INSTALL_INSTRUCTION_RULE, {
          location: field.path,
          rawEvidence: snippet(text, hit.index, hit.length),
          message: `Text ${hit.label}.`,
          severity: phrase.severity,
          confidence: phrase.confidence,
        }),
      );
    }
    return findings;
  },
};
