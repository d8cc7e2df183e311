import { type Analyzer, type Confidence, type Finding, makeFinding, type RuleInfo, type Severity } from './finding';

/**
 * B8, terminal control in metadata (security-checks.md §3.B8; Trail of Bits, "Deceiving users
 * with ANSI terminal codes in MCP"). A client that prints a description to a terminal lets
 * `ESC[8m` conceal text, cursor moves and erases overwrite it, and OSC 8 disguise links, while the
 * model still reads every byte. Tool metadata has no use for them: critical.
 *
 * Only real control characters count. The printable text "ESC[31m" or "\x1b[0m" in documentation
 * of a terminal tool is not an escape sequence (the FP trap the reference names).
 */
export const TERMINAL_CONTROL_RULE: RuleInfo = {
  id: 'TP-TOOL-011',
  severity: 'critical',
  description: 'ANSI/VT escape sequences (CSI, OSC, conceal, cursor moves), other C0/C1 control characters and bare carriage returns in tool metadata',
};

const ESCAPE_SEQUENCE = /\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])|[\x9b\x9d]/;
const OTHER_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f\x80-\x9a\x9c\x9e\x9f]/;
const BARE_CR = /\r(?!\n)/;

function describeEscape(sequence: string): string {
  if (/^\x1b\[[0-9;]*8[;m]/.test(sequence) || /;8m$/.test(sequence)) return 'an ANSI conceal sequence (ESC[8m) that hides the text after it';
  if (/^\x1b\[[0-9;]*[ABCDEFGHJKfsu]/.test(sequence)) return 'an ANSI cursor-movement or erase sequence that can overwrite displayed text';
  if (sequence.startsWith('\x1b]') || sequence === '\x9d') return 'an OSC sequence (hyperlinks, window titles) that changes what the terminal shows';
  if (sequence.startsWith('\x1b[') || sequence === '\x9b') return 'an ANSI CSI escape sequence';
  return 'an escape character';
}

export const terminalControlAnalyzer: Analyzer = {
  id: 'terminal-control',
  rules: [TERMINAL_CONTROL_RULE],
  analyzeTool(_tool, context) {
    const findings: Finding[] = [];
    for (const field of context.fields) {
      const text = field.text;
      let hit: { index: number; severity: Severity; confidence: Confidence; message: string } | null = null;
      const escape = ESCAPE_SEQUENCE.exec(text);
      const control = OTHER_CONTROL.exec(text);
      const cr = BARE_CR.exec(text);
      if (escape) hit = { index: escape.index, severity: 'critical', confidence: 'high', message: `Contains ${describeEscape(escape[0])}.` };
      else if (control) hit = { index: control.index, severity: 'high', confidence: 'high', message: `Contains control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}, which terminals interpret.` };
      else if (cr) hit = { index: cr.index, severity: 'medium', confidence: 'medium', message: 'Contains a bare carriage return: a terminal prints what follows over what precedes it.' };
      if (!hit) continue;
      findings.push(
        makeFinding(TERMINAL_CONTROL_RULE, {
          location: field.path,
          rawEvidence: text.slice(Math.max(0, hit.index - 40), hit.index + 80),
          message: hit.message,
          severity: hit.severity,
          confidence: hit.confidence,
        }),
      );
    }
    return findings;
  },
};
